using System;
using CftSslTrace.Reading;

namespace CftSslTrace.Sessions
{
    /// <summary>
    /// A transfer a session carried or broke, from CFT's transfer lines (CFTT75E connect reject, CFTT92I, CFTT13I...):
    /// its identifiers, its diagnostic (DIAGI, and DIAGP: for DIAGI 260, "PKI nnn" is the TLS alert), and how the line
    /// was tied to the session.
    /// </summary>
    public sealed class CftTransfer
    {
        /// <summary>Transfer identifier in the catalog (IDTU=).</summary>
        public string Idtu { get; internal set; }
        /// <summary>File (model) identifier (IDF=).</summary>
        public string Idf { get; internal set; }
        /// <summary>Transfer identifier (IDT=).</summary>
        public string Idt { get; internal set; }
        public string Partner { get; internal set; }
        /// <summary>CFT's diagnostic code (260: SSL security problem; 261 internal PKI, 262 PKI system, 263 external PKI, 278 security profile; +500 remote).</summary>
        public int? Diagi { get; internal set; }
        /// <summary>The protocol diagnostic: "PKI 040" (TLS alert 40), "TLSDOWN", "TLSPARSE"...</summary>
        public string Diagp { get; internal set; }
        /// <summary>The TLS alert of DIAGP "PKI nnn", by name (handshake_failure).</summary>
        public string Alert { get; internal set; }
        /// <summary>Its number.</summary>
        public int? AlertCode { get; internal set; }
        /// <summary>The code of the line that says most (CFTT75E when the transfer was rejected).</summary>
        public string Code { get; internal set; }
        public string Text { get; internal set; }
        /// <summary>The file (or "archive.zip!entry") and line of the line that says most.</summary>
        public string File { get; internal set; }
        public long Line { get; internal set; }
        internal long Position { get; set; }
        public DateTime? Time { get; internal set; }
        /// <summary>How the line was tied to the session: "CTX" (the line names it), or by partner (and PID) and time.</summary>
        public string MatchedBy { get; internal set; }

        public override string ToString()
            => (Idtu ?? "?") + (Idf != null ? " " + Idf : "") + (Idt != null ? " " + Idt : "") + (Diagi.HasValue ? " " + Diagi + (Diagp != null ? " " + Diagp : "") : "")
               + (Alert != null ? " (" + Alert + ")" : "");
    }
}
