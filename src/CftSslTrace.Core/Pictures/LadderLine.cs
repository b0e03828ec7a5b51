namespace CftSslTrace.Pictures
{
    /// <summary>
    /// One line of a picture in text (Show-CftSslSession): the text itself, which session it draws and its number. It
    /// shows as its text and converts to it (Out-File, Set-Content, "$line"); a console that supports colours shows it
    /// coloured (the view asks <see cref="ToAnsi"/>; PowerShell leaves the colours out of files and redirected output).
    /// </summary>
    public sealed class LadderLine
    {
        private readonly string ansi;

        public LadderLine(string sessionId, int number, string text, string ansi = null)
        {
            SessionId = sessionId;
            Number = number;
            Text = text ?? "";
            this.ansi = ansi;
        }

        public string SessionId { get; }
        public int Number { get; }
        public string Text { get; }

        /// <summary>The line with ANSI colour sequences (the text itself when it has no colour).</summary>
        public string ToAnsi() => ansi ?? Text;

        public override string ToString() => Text;
    }
}
