using System.Linq;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// Logs written without TRACE=255 have CFT's session lines but no dumps: the error lines alone must still give
    /// the failure and its explanation. The lines are the real examples of the product documentation.
    /// </summary>
    public class ExplanationTests
    {
        private static CftSslSession One(string text) => Fixtures.SessionsFromText(text).Single();

        [Fact]
        public void ServerSide_NoSharedCipher_FromTheErrorLineAlone()
        {
            var s = One("00 24/03/01 22:10:01 CFTY20I PROT=PESITSSL SSL=SSLSRV opening server session CTX=210004 on task PID=3584\n"
                + "00 24/03/01 22:10:01 CFTY25I CTX=210004 remote address HOST=10.1.2.3\n"
                + "00 24/03/01 22:10:01 CFTY13E CTX=210004 SSL Handshake local error [HANDSHAKE_FAILURE] CR=40 (Handshake failure: no shared cipher)\n"
                + "00 24/03/01 22:10:01 CFTY12I CTX=210004 PROT=PESITSSL SSL=SSLSRV Closing server SSL session\n");
            Assert.Equal(SessionResult.Failed, s.Result);
            Assert.Equal("handshake_failure", s.Failure.Name);
            Assert.Equal(40, s.Failure.Code);
            Assert.Equal("Local", s.Failure.Origin);
            Assert.Equal(TlsPeer.Server, s.Failure.RaisedBy);
            Assert.Equal("Handshake failure: no shared cipher", s.Failure.Reason);
            Assert.Equal("CFTY13E", s.Failure.CftError.Code);
            Assert.Contains("CIPHLIST of CFTSSL SSLSRV", s.Failure.Explanation);
            Assert.Equal("10.1.2.3", s.RemoteHost);
            Assert.Empty(s.Frames);
        }

        [Fact]
        public void ClientSide_RemoteHandshakeFailure()
        {
            var s = One("CFTY19I PART=HPX18SSL SSL=SSLCLI opening client session CTX=200003 on task PID=77\n"
                + "CFTY30E CTX=200003 SSL Handshake remote error [HANDSHAKE_FAILURE] CR=40 (Handshake failure: sslv3 alert handshake failure)\n"
                + "CFTY11I CTX=200003 PART=HPX18SSL SSL=SSLCLI Closing client SSL session\n");
            Assert.Equal("Remote", s.Failure.Origin);
            Assert.Equal(TlsPeer.Server, s.Failure.RaisedBy);
            Assert.Equal("handshake_failure (40): handshake aborted", s.Problem);
            Assert.Contains("the partner's log has the precise reason", s.Failure.Explanation);
        }

        [Fact]
        public void TlsParse_IsNotAnAlert_AndSaysSo()
        {
            var s = One("CFTY19I PART=P1 SSL=SSLCLI opening client session CTX=200008 on task PID=1\n"
                + "CFTY13E CTX=200008 SSL Handshake local error [TLSPARSE] CR=1 (SSL_ERROR_ZERO_RETURN(6): NULL(err=0))\n");
            Assert.Equal("tlsparse", s.Failure.Name);
            Assert.Equal(1, s.Failure.Code);
            Assert.Contains("CFT could not read SSL data", s.Failure.Explanation);
            Assert.Contains("SSL_ERROR_ZERO_RETURN", s.Failure.Explanation);
        }

        [Fact]
        public void UnknownCa_ByCode_WhenTheBracketNameDiffers()
        {
            // "[HANDSHAKE_FAILURE] CR=48" is seen in the field: the number decides, it is the alert sent
            var s = One("CFTY19I PART=P2 SSL=SSLCLI opening client session CTX=200009 on task PID=1\n"
                + "CFTY13E CTX=200009 SSL Handshake local error [HANDSHAKE_FAILURE] CR=48\n");
            Assert.Equal("unknown_ca", s.Failure.Name);
            Assert.Contains("ROOTCID of CFTSSL SSLCLI", s.Failure.Explanation);
        }

        [Fact]
        public void CertificateRequestTooLarge_PointsAtRrusize()
        {
            var s = One("CFTY19I PART=P3 SSL=SSLCLI opening client session CTX=20000a on task PID=1\n"
                + "CFTY13E CTX=20000a SSL Handshake local error [TLS_ERR_FRAGMENT_CONSISTANCY] CR=50\n");
            Assert.Contains("RRUSIZE=32750", s.Failure.Explanation);
        }

        [Fact]
        public void EstablishedWithoutTrace_TakesVersionCipherAndAuthFromCft()
        {
            var s = One("CFTY20I PROT=PESITSSL SSL=SSLSRV opening server session CTX=210009 on task PID=1\n"
                + "CFTY24I CTX=210009 Server certificate ID=SRV ROOTID=ROOTCA\n"
                + "CFTY22I CTX=210009 Remote client certificate accepted ROOTID=ROOTCA\n"
                + "CFTY15I CTX=210009 PROT=PESITSSL SSL=SSLSRV server session established VERSION=TLSv1.2 CIPHER=49200 AUTH=BOTH\n");
            Assert.Equal(SessionResult.Established, s.Result);
            Assert.Equal("TLS 1.2", s.Version);
            Assert.Equal("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", s.CipherSuiteName);
            Assert.Equal("Mutual", s.Authentication);
            Assert.Equal("", s.Problem);
            Assert.False(s.Closed);
        }

        [Fact]
        public void NoTraceAndNoEnd_IsIncomplete()
        {
            var s = One("CFTY19I PART=P4 SSL=SSLCLI opening client session CTX=20000b on task PID=1\n");
            Assert.Equal(SessionResult.Incomplete, s.Result);
            Assert.Equal("Incomplete: the trace ends before any TLS data", s.Problem);
        }

        [Fact]
        public void UnknownCa_NamesTheIntermediateCa_OnlyWhenTheChainHasOne()
        {
            // leaf + intermediate: the intermediate is named beside the root
            var withIntermediate = Fixtures.Sessions("real/tls12-unknown-ca.client.log").Single();
            Assert.Contains("with the intermediate CA ('CN=CftSslTrace Test Intermediate CA, O=CftSslTrace Test, C=FR')", withIntermediate.Explanation);
            // leaf + the root that signed it (the history's BANK-A after its renewal): the root only
            var rootOnly = Fixtures.Sessions("history/server1/cftlog").First(x => x.Partner == "BANK-A" && x.Result == SessionResult.Failed);
            Assert.Equal(2, rootOnly.ServerCertificates.Count);
            Assert.Contains("to ROOTCID of CFTSSL SSLCLI01 and check DEPTH.", rootOnly.Explanation);
            Assert.DoesNotContain("intermediate", rootOnly.Explanation);
        }
    }
}
