using System;
using System.Linq;
using System.Management.Automation;
using CftSslTrace.Pictures;
using CftSslTrace.Sessions;

namespace CftSslTrace.PowerShell
{
    /// <summary>The forms Show-CftSslSession draws in.</summary>
    public enum LadderFormat { Text, Mermaid, Svg }

    /// <summary>
    /// <para type="synopsis">Draws each CFT SSL/TLS session as a sequence diagram: who sent what, in which order, CFT's own lines where they happened, and how it ended.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Show, "CftSslSession", DefaultParameterSetName = "Path")]
    [OutputType(typeof(LadderLine))]
    public sealed class ShowCftSslSessionCommand : SessionInputCmdlet
    {
        private int shown;

        /// <summary>Text (default): a ladder for the console and for files; Mermaid: a sequenceDiagram for wikis, Markdown and tickets; Svg: a standalone SVG image (Set-Content ladder.svg).</summary>
        [Parameter]
        public LadderFormat As { get; set; } = LadderFormat.Text;

        /// <summary>Only ASCII characters (| - &gt; &lt;) instead of box drawing: for consoles on an old code page (Windows PowerShell 5.1).</summary>
        [Parameter]
        public SwitchParameter Ascii { get; set; }

        /// <summary>Width of the text ladder in columns (at least 40). Default: 79, so that it fits an 80-column console (PowerShell wraps a line as long as the console), or the console's width less one when it is narrower.</summary>
        [Parameter]
        [ValidateRange(LadderText.MinimumWidth, 1000)]
        public int Width { get; set; }

        private int width;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            width = Width;
            if (width == 0)
            {
                width = 79;
                try
                {
                    int console = Host?.UI?.RawUI?.WindowSize.Width ?? 0;
                    if (console > 0 && console - 1 < width) width = Math.Max(LadderText.MinimumWidth, console - 1);
                }
                catch (Exception e) when (e is NotImplementedException || e is System.Management.Automation.Host.HostException || e is System.IO.IOException || e is InvalidOperationException) { }
            }
        }

        protected override void OnSession(CftSslSession session)
        {
            var ladder = Ladder.Of(session);
            int n = 0;
            if (shown++ > 0) WriteObject(new LadderLine(session.SessionId, n++, ""));
            if (As == LadderFormat.Svg)
            {
                foreach (var line in LadderSvg.Document(ladder, Markup.Id(session.Ctx)).Split('\n')) WriteObject(new LadderLine(session.SessionId, n++, line));
                return;
            }
            if (As == LadderFormat.Mermaid)
            {
                foreach (var line in LadderMermaid.Render(ladder)) WriteObject(new LadderLine(session.SessionId, n++, line));
                return;
            }
            var plain = LadderText.Render(ladder, width, Ascii).ToList();
            // the same lines coloured, for a console that shows colours (the view decides; files never get them)
            var colored = Ascii ? null : LadderText.Render(ladder, width, false, true).ToList();
            for (int i = 0; i < plain.Count; i++)
                WriteObject(new LadderLine(session.SessionId, n++, plain[i], colored != null && i < colored.Count ? colored[i] : null));
        }
    }
}
