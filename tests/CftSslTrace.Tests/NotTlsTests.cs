using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CftSslTrace.Analysis;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>Partners that do not answer in TLS: real plain-text answers, and a TLS stream that later carries non-TLS bytes.</summary>
    public class NotTlsTests
    {
        [Fact]
        public void HttpServerAnsweringTheClientHello_IsAFailure_WithWhatItSentAndWhereToLook()
        {
            // real: openssl s_client to python3 -m http.server, which answers an HTML error page
            var s = Fixtures.Sessions("real/plain-http-answer.client.log").Single();
            Assert.Equal(SessionResult.Failed, s.Result);
            Assert.Equal("not_tls", s.Failure.Name);
            Assert.Null(s.Failure.Code);
            Assert.Equal(TlsPeer.Server, s.Failure.RaisedBy);
            Assert.Equal("after ClientHello from client", s.Failure.Step);
            Assert.Equal("Http", s.Failure.NonTls.Kind);
            Assert.StartsWith("<!DOCTYPE HTML>", s.Failure.NonTls.Text);
            Assert.StartsWith("3C 21 44 4F 43 54 59 50 45", s.Failure.NonTls.Hex);
            Assert.Equal("not_tls: partner answered in plain text (HTTP)", s.Problem);
            Assert.Contains("SAP of the partner's CFTTCP", s.Failure.Explanation);
            Assert.Contains("'<!DOCTYPE HTML>", s.Failure.Explanation);
            Assert.Equal("CFTY13E", s.Failure.CftError.Code); // CFT's own error line stays with the failure
            var f = s.Frames.Single(x => x.ContentType == "Unrecognized");
            Assert.Equal(TraceDirection.Received, f.Direction);
            Assert.StartsWith("Bytes that do not start a TLS record (524 bytes): an HTML page", f.Summary);
            Assert.EndsWith("the server's first bytes", f.Summary);
        }

        [Fact]
        public void ClientSendingPlainTextToTheSslListener_IsAFailure_NamingTheProtocol()
        {
            // real: a plain TCP client sends an HTTP request to openssl s_server
            var s = Fixtures.Sessions("real/plain-client-to-ssl-server.server.log").Single();
            Assert.Equal(SessionRole.Server, s.Role);
            Assert.Equal(SessionResult.Failed, s.Result);
            Assert.Equal("not_tls", s.Failure.Name);
            Assert.Equal("partner connected without SSL (HTTP)", s.Failure.Summary);
            Assert.Equal("an HTTP request (GET / HTTP/1.0)", s.Failure.NonTls.Description);
            Assert.Contains("PROT=PESITSSL", s.Failure.Explanation);
            Assert.Contains("must use SSL for this protocol", s.Failure.Explanation);
        }

        [Fact]
        public void BytesThatAreNotARecord_AfterTheHandshake_NameTheRecordThatBrokeTheStream()
        {
            // derived from a real session: plain text written into the server's stream after its ServerHelloDone, as a
            // load balancer injecting an error page would (the bytes after it are the real session's)
            var lines = File.ReadAllLines(Fixtures.PathOf("real/tls12-rsa-aes256-sha256.client.log"), Encoding.Latin1).ToList();
            int shd = lines.FindIndex(l => l.Contains("16030300 040E0000 00"));
            Assert.True(shd > 0);
            string prefix = lines[shd].Substring(0, lines[shd].IndexOf("CFTY02Z", StringComparison.Ordinal));
            var page = Encoding.ASCII.GetBytes("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
            var inject = new List<string> { prefix + "CFTY02Z>> CTX=200003 ndata()_ " + page.Length + " HANDSHAKE DATA RECEIVED FROM NETWORK" };
            for (int i = 0; i < page.Length; i += 16)
                inject.Add(prefix + "CFTY02Z>> CTX=200003 " + Convert.ToHexString(page, i, Math.Min(16, page.Length - i)));
            lines.InsertRange(shd + 1, inject);
            var s = Fixtures.SessionsFromText(string.Join("\n", lines) + "\n").Single();
            var f = s.Frames.Single(x => x.ContentType == "Unrecognized");
            Assert.Equal("Bytes that do not start a TLS record (" + page.Length + " bytes): an HTTP answer (HTTP/1.1 503 Service Unavailable), after the ServerHelloDone record of line " + (shd), f.Summary);
            Assert.Equal(SessionResult.Failed, s.Result);
            Assert.Equal("not_tls", s.Failure.Name);
            Assert.Equal("server stream broken after ServerHelloDone", s.Failure.Summary);
            Assert.Contains("stops being TLS at line " + (shd + 2), s.Failure.Explanation);
        }

        [Fact]
        public void StreamBrokenByPlainText_WithCftsParseError_IsNotTls_AndKeepsTheCftError()
        {
            var s = Fixtures.Sessions("spec/tls12-stream-broken-by-plain-text.client.log").Single();
            Assert.Equal(SessionResult.Failed, s.Result);
            Assert.Equal("not_tls: server stream broken after ServerHelloDone", s.Problem);
            Assert.Equal("Http", s.Failure.NonTls.Kind);
            Assert.Equal("CFTY13E", s.Failure.CftError.Code); // "could not read SSL data" says less than the bytes: kept beside them
            Assert.Contains("after its ServerHelloDone record (line 139)", s.Failure.Explanation);
        }

        [Theory]
        [InlineData("485454502F312E3120343030204261642052657175657374", "Http", "an HTTP answer (HTTP/1.1 400 Bad Request)")]
        [InlineData("474554202F20485454502F312E310D0A", "Http", "an HTTP request (GET / HTTP/1.1)")]
        [InlineData("3C68746D6C3E3C626F64793E", "Http", "an HTML page (an HTTP server answering without a status line)")]
        // PeSIT-E CONNECT FPDU written from the PeSIT specification: LI, phase 0x40, type 0x20, destination and source ids, then PIs
        [InlineData("001A40200000010300000403024352", "PeSIT", "a PeSIT CONNECT FPDU (PeSIT without SSL)")]
        [InlineData("001D4022000102030405060708", "PeSIT", "a PeSIT RCONNECT FPDU (PeSIT without SSL)")]
        [InlineData("2D45525220636F6E6E656374696F6E2072656675736564", "Text", "text ('-ERR connection refused')")]
        [InlineData("00FF13A0C3B2", "Binary", "binary data")]
        public void NonTlsBytes_AreClassified(string hex, string kind, string description)
        {
            var b = Convert.FromHexString(hex);
            var c = NonTlsBytes.Classify(b, b.Length);
            Assert.Equal(kind, c.Kind);
            Assert.Equal(description, c.Description);
        }
    }
}
