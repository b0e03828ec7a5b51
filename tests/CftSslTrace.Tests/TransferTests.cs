using System.IO;
using System.Linq;
using CsCheck;
using System.Text;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// Transfer and protocol lines tied to sessions (by CTX, else partner, PID and time), and the failures CFT's own lines
    /// tell when TRACE=255 was off.
    /// </summary>
    public class TransferTests
    {
        private static string Real(string name) => File.ReadAllText(Fixtures.PathOf("real/" + name), Encoding.Latin1);

        [Fact]
        public void LinesOfTransfersWithoutSsl_CostTheReaderLittle_AndChangeNoSession()
        {
            // a busy log with, after each of its lines, a line of a transfer with a partner that has no SSL session: such a
            // line is read for its CTX and PART only (it was split into all its pairs, and kept whole as text: 960 bytes each)
            var busy = File.ReadAllLines(Fixtures.PathOf("real/busy.log"), Encoding.Latin1);
            string[] others =
            {
                "CFTT57I PART=NOSSL042 IDF=BIN IDT=A0412345 _ ACT end of transfer",
                "CFTR12I END Treated for USER cft : PART=NOSSL042 IDF=BIN IDT=A0412345",
                "CFTH11E Error Opening session PART=NOSSL042 EVENT=REJECT PID=77",
            };
            var mixed = new StringBuilder();
            for (int i = 0; i < busy.Length; i++)
            {
                mixed.Append(busy[i]).Append('\n');
                string prefix = busy[i].Length > 24 && busy[i][2] == ' ' ? busy[i].Substring(0, 24) : "";
                mixed.Append(prefix).Append(others[i % 3]).Append('\n');
            }
            string plain = string.Join("\n", busy) + "\n";
            var options = new SessionReaderOptions { Threads = 1 };
            long Allocated(string text, out string described)
            {
                long before = System.GC.GetAllocatedBytesForCurrentThread();
                var sessions = Fixtures.SessionsFromText(text, options);
                long used = System.GC.GetAllocatedBytesForCurrentThread() - before;
                described = string.Join("\n", sessions.Select(s => s.Ctx + " " + s.Result + " " + s.Frames.Count + " " + s.Events.Count + " " + s.Transfers.Count));
                return used;
            }
            Allocated(plain, out _);
            Allocated(mixed.ToString(), out _);
            long alone = Allocated(plain, out string expected), among = Allocated(mixed.ToString(), out string actual);
            Assert.Equal(expected, actual);
            long perLine = (among - alone) / busy.Length;
            Assert.True(perLine < 600, perLine + " bytes for each line of a transfer without SSL (its text as UTF-8 bytes here, its body, the line: ~420)");
        }

        [Fact]
        public void AValueReadAlone_IsTheValueOfTheLinesPairs()
        {
            // a line that names no open session is read for its CTX, PART and PID only: each as the whole line's pairs give it
            var keys = new[] { "CTX", "PART", "PID", "part", "IDT", "X" };
            var pieces = new[] { "CTX", "PART", "PID", "Pid", "ctx", "IDT", "=", "=", " ", "  ", ">", "<", ")", "(", ",", "_", "P1", "200003", "x9", "\u00e9", "PART=", " CTX=" };
            Gen.Int[0, pieces.Length - 1].Array[0, 24]
                .Select(tokens => string.Concat(tokens.Select(t => pieces[t])))
                .Sample(text =>
                {
                    var all = CftEvent.ParseValues(text);
                    foreach (var k in keys)
                        Assert.Equal(all.TryGetValue(k, out var v) ? v : null, CftEvent.FindValue(text, k));
                }, iter: 20000);
            // and the lines of the fixtures
            foreach (var f in Directory.GetFiles(Fixtures.PathOf("real"), "*.log"))
                foreach (var line in File.ReadLines(f, Encoding.Latin1).Where(l => l.Contains('=')))
                {
                    var all = CftEvent.ParseValues(line);
                    foreach (var k in keys.Concat(all.Keys))
                        Assert.Equal(all.TryGetValue(k, out var v) ? v : null, CftEvent.FindValue(line, k));
                }
        }

        [Fact]
        public void ConnectReject_AfterAFailedSession_IsItsTransfer_WithTheAlertOfDiagp()
        {
            string log = Real("tls12-unknown-ca.client.log")
                + "00 26/11/24 09:45:34.10 CFTT75E connect reject <IDTU=A00000BL PART=PARTNER08 IDF=SSL IDT=A2217045 260 PKI 048>\n";
            var s = Fixtures.SessionsFromText(log).Single();
            var t = Assert.Single(s.Transfers);
            Assert.Equal("A00000BL", t.Idtu);
            Assert.Equal("SSL", t.Idf);
            Assert.Equal("A2217045", t.Idt);
            Assert.Equal("PARTNER08", t.Partner);
            Assert.Equal(260, t.Diagi);
            Assert.Equal("PKI 048", t.Diagp);
            Assert.Equal(48, t.AlertCode);
            Assert.Equal("unknown_ca", t.Alert);
            Assert.Equal("CFTT75E", t.Code);
            Assert.Equal("partner PARTNER08 and time", t.MatchedBy);
            Assert.Equal("unknown_ca", s.Failure.Name); // the traced failure stays the failure
            Assert.Contains(s.Events, e => e.Code == "CFTT75E" && e.MatchedBy == t.MatchedBy);
        }

        [Fact]
        public void TransferLineWithCtx_IsTiedByCtx_AndMergedWithTheRejectOfTheSameIdtu()
        {
            string log = "00 26/11/24 10:00:00 CFTY19I PART=P1 SSL=S1 opening client session CTX=200001 on task PID=7\n"
                + "00 26/11/24 10:00:00 CFTT92I <IDTU=A0000001 CTX=200001 IDT=B1234567>\n"
                + "00 26/11/24 10:00:01 CFTY13E CTX=200001 SSL Handshake local error [HANDSHAKE_FAILURE] CR=40\n"
                + "00 26/11/24 10:00:01 CFTY11I CTX=200001 PART=P1 SSL=S1 Closing client SSL session\n"
                + "00 26/11/24 10:00:01 CFTT75E connect reject <IDTU=A0000001 PART=P1 IDF=PAYROLL IDT=B1234567 260 PKI 040>\n";
            var s = Fixtures.SessionsFromText(log).Single();
            var t = Assert.Single(s.Transfers);
            Assert.Equal("PAYROLL", t.Idf);
            Assert.Equal("B1234567", t.Idt);
            Assert.Equal("handshake_failure", t.Alert);
            Assert.Equal(5, t.Line);
            Assert.StartsWith("partner P1", t.MatchedBy);
            Assert.Null(s.Events.Single(e => e.Code == "CFTT92I").MatchedBy); // it named the CTX
        }

        [Fact]
        public void TwoSessionsOfOnePartner_TheRejectGoesToTheOneThatClosedLast_AndSaysItWasAmbiguous()
        {
            string log = "00 26/11/24 10:00:00 CFTY19I PART=P1 SSL=S1 opening client session CTX=200001 on task PID=7\n"
                + "00 26/11/24 10:00:00 CFTY19I PART=P1 SSL=S1 opening client session CTX=200002 on task PID=8\n"
                + "00 26/11/24 10:00:01 CFTY13E CTX=200002 SSL Handshake local error [UNKNOWN_CA] CR=48\n"
                + "00 26/11/24 10:00:01 CFTY11I CTX=200002 PART=P1 SSL=S1 Closing client SSL session\n"
                + "00 26/11/24 10:00:01 CFTT75E connect reject <IDTU=A0000002 PART=P1 IDF=SSL IDT=B2 260 PKI 048>\n"
                + "00 26/11/24 10:00:02 CFTY14I CTX=200001 PART=P1 SSL=S1 client session established VERSION=TLSv1.2 CIPHER=49199 AUTH=SERVER\n";
            var sessions = Fixtures.SessionsFromText(log);
            var failed = sessions.Single(x => x.Ctx == "200002");
            var ok = sessions.Single(x => x.Ctx == "200001");
            Assert.Empty(ok.Transfers);
            var t = Assert.Single(failed.Transfers);
            Assert.Equal("partner P1 and time (2 sessions of the partner were active: the one that closed last)", t.MatchedBy);
        }

        [Fact]
        public void PidOnTheLine_ChoosesTheSessionOfThatTask()
        {
            string log = "00 26/11/24 10:00:00 CFTY19I PART=P1 SSL=S1 opening client session CTX=200001 on task PID=7\n"
                + "00 26/11/24 10:00:00 CFTY19I PART=P1 SSL=S1 opening client session CTX=200002 on task PID=8\n"
                + "00 26/11/24 10:00:01 CFTH11E Error Opening session <PART=P1 EV=VNRELI ST=SUP01 PID=7>\n";
            var sessions = Fixtures.SessionsFromText(log);
            Assert.Contains(sessions.Single(x => x.Ctx == "200001").Events, e => e.Code == "CFTH11E" && e.MatchedBy == "partner P1, PID 7 and time");
            Assert.DoesNotContain(sessions.Single(x => x.Ctx == "200002").Events, e => e.Code == "CFTH11E");
        }

        [Fact]
        public void LinesOfAnotherPartner_OrLongAfter_AreNotTied()
        {
            string log = "00 26/11/24 10:00:00 CFTY19I PART=P1 SSL=S1 opening client session CTX=200001 on task PID=7\n"
                + "00 26/11/24 10:00:01 CFTT75E connect reject <IDTU=A0000003 PART=P2 IDF=SSL IDT=B3 260 PKI 048>\n"
                + "00 26/11/24 10:09:00 CFTT75E connect reject <IDTU=A0000004 PART=P1 IDF=SSL IDT=B4 260 PKI 048>\n";
            var s = Fixtures.SessionsFromText(log, new SessionReaderOptions { IdleTimeout = System.TimeSpan.FromHours(1) }).Single();
            Assert.Empty(s.Transfers);
        }

        [Fact]
        public void WithoutTrace_ClientToAPartnerNotConfiguredForSsl_FailsWithTheExplanation()
        {
            // Axway's troubleshooting guide, "protocol is not correctly configured"
            string log = "00 26/11/24 10:00:00 CFTY19I PART=PART1 SSL=SSLCLI opening client session CTX=100003 on task PID=12\n"
                + "00 26/11/24 10:00:05 CFTH11E Error Opening session <PART=PART1 EV=VNRELI ST=SUP01>\n"
                + "00 26/11/24 10:00:05 CFTT75E connect reject <IDTU=A000001X PART=PART1 IDF=FIC IDT=A1234567 260>\n"
                + "00 26/11/24 10:00:05 CFTY11I CTX=100003 PART=PART1 SSL=SSLCLI Closing SSL client session\n";
            var s = Fixtures.SessionsFromText(log).Single();
            Assert.Equal(SessionResult.Failed, s.Result);
            Assert.Equal("not_tls", s.Failure.Name);
            Assert.Equal("partner did not answer in SSL", s.Failure.Summary);
            Assert.Contains("SAP of its CFTTCP", s.Failure.Explanation);
            Assert.Contains("CFTH11E", s.Failure.Explanation);
            Assert.Equal(new[] { "CFTY19I", "CFTH11E", "CFTT75E", "CFTY11I" }, s.Events.Select(e => e.Code));
            Assert.Equal(260, s.Transfers.Single().Diagi);
        }

        [Fact]
        public void WithoutTrace_PartnerConnectingWithoutSslToTheSslListener_FailsWithTheExplanation()
        {
            // Axway's troubleshooting guide, "protocol without SSL partner profile"
            string log = "00 26/11/24 10:00:00 CFTY20I PROT=PESITSSL SSL=SSLSRV opening server session CTX=22057f on task PID=13\n"
                + "00 26/11/24 10:00:00 CFTY25I CTX=22057f remote address HOST=172.31.24.119\n"
                + "00 26/11/24 10:00:01 CFTY12I CTX=22057f PROT=PESITSSL SSL=SSLSRV server SSL session Closing\n"
                + "00 26/11/24 10:00:01 CFTN04E Synchronization error (release indication) <PROT=PESITSSL>\n";
            var s = Fixtures.SessionsFromText(log).Single();
            Assert.Equal(SessionResult.Failed, s.Result);
            Assert.Equal("not_tls", s.Failure.Name);
            Assert.Equal("partner connected without SSL", s.Failure.Summary);
            Assert.Contains("172.31.24.119", s.Failure.Explanation);
            Assert.Contains("no SSL profile for this protocol", s.Failure.Explanation);
            Assert.StartsWith("the server session that closed at line 3", s.Events.Single(e => e.Code == "CFTN04E").MatchedBy);
        }

        [Fact]
        public void WithoutTrace_TheTransfersAlert_IsTheFailure()
        {
            string log = "00 26/11/24 10:00:00 CFTY19I PART=HPX18SSL SSL=SSLCLI opening client session CTX=200003 on task PID=12\n"
                + "00 26/11/24 10:00:01 CFTY11I CTX=200003 PART=HPX18SSL SSL=SSLCLI Closing client SSL session\n"
                + "00 26/11/24 10:00:01 CFTT75E connect reject <IDTU=A00000BL PART=HPX18SSL IDF=SSL IDT=A2217045 260 PKI 040>\n";
            var s = Fixtures.SessionsFromText(log).Single();
            Assert.Equal(SessionResult.Failed, s.Result);
            Assert.Equal("handshake_failure", s.Failure.Name);
            Assert.Equal(40, s.Failure.Code);
            Assert.Contains("not traced", s.Failure.Step);
            Assert.Contains("CIPHLIST", s.Failure.Explanation);
            Assert.Equal("Local", s.Failure.Origin);
            Assert.Equal(TlsPeer.Client, s.Failure.RaisedBy);
        }
    }
}
