using System;
using System.Text;

namespace CftSslTrace.Sessions
{
    /// <summary>How a <see cref="SessionReader"/> reads, and when it decides that a session without a closing line is over.</summary>
    public sealed class SessionReaderOptions
    {
        /// <summary>Default: a session with no line for 5 minutes of log time is returned.</summary>
        public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(5);
        /// <summary>Default, for lines without a time: a session with no line among the next 100,000 lines is returned.</summary>
        public const long DefaultIdleLines = 100000;
        /// <summary>Default: at most this many sessions are held open; beyond, the one idle the longest is returned.</summary>
        public const int DefaultMaxOpenSessions = 5000;

        /// <summary>
        /// A session with no line of its CTX for this long (in log time, the time of the lines' prefixes) is returned
        /// without waiting for a closing line or the end of the input. If a later line of its CTX comes, it continues as a
        /// new session whose ContinuesFrom names the earlier part.
        /// </summary>
        public TimeSpan IdleTimeout { get; set; } = DefaultIdleTimeout;

        /// <summary>The same rule in lines, for logs whose lines carry no time.</summary>
        public long IdleLines { get; set; } = DefaultIdleLines;

        /// <summary>Sessions held open at most; memory stays bounded whatever the log.</summary>
        public int MaxOpenSessions { get; set; } = DefaultMaxOpenSessions;

        /// <summary>Lines to wait after a closing line (CFTY11I/CFTY12I) for stragglers of the same CTX (a final alert...).</summary>
        public int ClosingGraceLines { get; set; } = 200;

        /// <summary>The encoding of the input; null to detect it (UTF-8 or Latin-1 line by line, byte-order marks, UTF-16 without one).</summary>
        public Encoding Encoding { get; set; }

        /// <summary>Make a frame of every record, application data included, and hand each to <see cref="SessionReader.FrameReleased"/>.</summary>
        public bool StreamFrames { get; set; }

        /// <summary>Threads: 0 (default) two for inputs of 4 MB or more on a machine with two cores or more; 1 one; 2 two.</summary>
        public int Threads { get; set; }

        internal SessionReaderOptions Copy() => (SessionReaderOptions)MemberwiseClone();
    }
}
