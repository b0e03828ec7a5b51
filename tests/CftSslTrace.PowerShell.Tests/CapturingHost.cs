using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>A PowerShell host whose console is a string: what Out-Default (the format views) writes, at a given width.</summary>
    public sealed class CapturingHost : PSHost
    {
        private readonly CapturingUI ui;
        public CapturingHost(int width) { ui = new CapturingUI(width); }
        public string Text => ui.Text.ToString();
        public void Clear() => ui.Text.Clear();
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override string Name => "CftSslTraceTestHost";
        public override PSHostUserInterface UI => ui;
        public override Version Version => new Version(1, 0);
        public override void EnterNestedPrompt() { }
        public override void ExitNestedPrompt() { }
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) { }

        private sealed class CapturingUI : PSHostUserInterface
        {
            public readonly StringBuilder Text = new StringBuilder();
            private readonly RawUI raw;
            public CapturingUI(int width) { raw = new RawUI(width); }
            public override PSHostRawUserInterface RawUI => raw;
            public override string ReadLine() => "";
            public override SecureString ReadLineAsSecureString() => new SecureString();
            public override void Write(string value) => Text.Append(value);
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Text.Append(value);
            public override void WriteLine(string value) => Text.Append(value).Append('\n');
            public override void WriteErrorLine(string value) => Text.Append("ERROR: ").Append(value).Append('\n');
            public override void WriteDebugLine(string message) { }
            public override void WriteProgress(long sourceId, ProgressRecord record) { }
            public override void WriteVerboseLine(string message) { }
            public override void WriteWarningLine(string message) => Text.Append("WARNING: ").Append(message).Append('\n');
            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => new Dictionary<string, PSObject>();
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => null;
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => null;
            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => defaultChoice;
        }

        private sealed class RawUI : PSHostRawUserInterface
        {
            private readonly int width;
            public RawUI(int width) { this.width = width; }
            public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
            public override Size BufferSize { get => new Size(width, 9999); set { } }
            public override Coordinates CursorPosition { get; set; }
            public override int CursorSize { get; set; }
            public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
            public override bool KeyAvailable => false;
            public override Size MaxPhysicalWindowSize => new Size(width, 9999);
            public override Size MaxWindowSize => new Size(width, 9999);
            public override Coordinates WindowPosition { get; set; }
            public override Size WindowSize { get => new Size(width, 50); set { } }
            public override string WindowTitle { get; set; } = "";
            public override void FlushInputBuffer() { }
            public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
            public override KeyInfo ReadKey(ReadKeyOptions options) => new KeyInfo();
            public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
            public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
            public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
        }
    }
}
