using System.Collections.Generic;

namespace FixtureGenerator
{
    /// <summary>One real TLS session to record: openssl arguments and what it must negotiate.</summary>
    internal sealed class Scenario
    {
        public string Name;
        public string Description;
        public string ServerArgs;
        public string ClientArgs;
        /// <summary>openssl's protocol name expected in s_client's output (TLSv1, TLSv1.2, TLSv1.3), null for a failure.</summary>
        public string ExpectProtocol;
        /// <summary>IANA number of the suite expected.</summary>
        public int? ExpectCipher;
        public bool Mutual;
        public bool ExpectFailure;
        /// <summary>CFT's reason text for the error line of the side that detects the failure.</summary>
        public string FailureReason;
        public string Partner = "PARTNER01";
        public string ClientProfile = "SSLCLI01";
        public string ServerProfile = "SSLSRV01";
        public bool SendData = true;
        public string CftVersionText;
        public int Connections = 1;
        /// <summary>Extra s_client arguments of the second connection (session resumption).</summary>
        public string SecondClientArgs;
        /// <summary>
        /// An alert sent under encryption after the handshake completed for the client (TLS 1.3 certificate_required): its
        /// description, which CFT's error lines carry (CR=) and the trace cannot show.
        /// </summary>
        public int? PostHandshakeAlert;
        /// <summary>Text s_client prints when the scenario went as planned.</summary>
        public string ExpectClientOutput;
        /// <summary>A server that is not openssl s_server (a plain HTTP server...): its command ({port} is replaced) and what it prints when ready.</summary>
        public string ServerCommand, ServerReady;
        /// <summary>A client that is not openssl s_client: these bytes are sent in clear (a partner connecting without SSL).</summary>
        public string PlainClientSends;
        /// <summary>One side does not speak TLS: the connection is rendered as it crossed the network (one block per read), not cut into records.</summary>
        public bool PlainText;
        /// <summary>The view that makes sense (true: CFT is the client; false: CFT is the server); null for both.</summary>
        public bool? OnlyView;

        public static List<Scenario> All(Pki pki)
        {
            string ca = "-CAfile ca.pem";
            string srvRsa = "-cert server-rsa.pem -key server-rsa.key -cert_chain server-rsa-chain.pem";
            string srvEc = "-cert server-ec.pem -key server-ec.key";
            string cli = "-cert client.pem -key client.key";
            return new List<Scenario>
            {
                new Scenario { Name = "tls10-rsa-aes128", Description = "TLS 1.0, RSA key exchange, AES128-SHA (CIPHER=47), server authentication, application data",
                    ServerArgs = $"{srvRsa} {ca} -tls1 -cipher AES128-SHA:@SECLEVEL=0", ClientArgs = $"{ca} -tls1 -cipher AES128-SHA:@SECLEVEL=0",
                    ExpectProtocol = "TLSv1", ExpectCipher = 47 },
                new Scenario { Name = "tls12-ecdhe-rsa-mutual", Description = "TLS 1.2, ECDHE-RSA AES128-GCM (49199), mutual authentication, SNI and ALPN",
                    ServerArgs = $"{srvRsa} {ca} -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 -Verify 2 -alpn pesit,http/1.1", ClientArgs = $"{ca} {cli} -tls1_2 -servername cft-server.example.test -alpn pesit",
                    ExpectProtocol = "TLSv1.2", ExpectCipher = 49199, Mutual = true, Partner = "PARTNER02", CftVersionText = "TLSv1.2" },
                new Scenario { Name = "tls12-rsa-aes256-sha256", Description = "TLS 1.2, RSA key exchange, AES256-SHA256 (61), server authentication",
                    ServerArgs = $"{srvRsa} {ca} -tls1_2 -cipher AES256-SHA256", ClientArgs = $"{ca} -tls1_2 -cipher AES256-SHA256",
                    ExpectProtocol = "TLSv1.2", ExpectCipher = 61, Partner = "PARTNER03" },
                new Scenario { Name = "tls12-dhe-ocsp", Description = "TLS 1.2, DHE-RSA AES128-GCM (158), finite-field DH key exchange, OCSP stapling (CertificateStatus)",
                    ServerArgs = $"{srvRsa} {ca} -tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256 -status_file ocsp-server-rsa.der", ClientArgs = $"{ca} -tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256 -status",
                    ExpectProtocol = "TLSv1.2", ExpectCipher = 158, Partner = "PARTNER11" },
                new Scenario { Name = "tls12-ecdhe-ecdsa", Description = "TLS 1.2, ECDHE-ECDSA AES256-GCM (49196), ECDSA P-256 server certificate",
                    ServerArgs = $"{srvEc} {ca} -tls1_2 -cipher ECDHE-ECDSA-AES256-GCM-SHA384", ClientArgs = $"{ca} -tls1_2",
                    ExpectProtocol = "TLSv1.2", ExpectCipher = 49196, Partner = "PARTNER04" },
                new Scenario { Name = "tls13-server-auth", Description = "TLS 1.3, TLS_AES_256_GCM_SHA384 (4866), server authentication, SNI, ALPN",
                    ServerArgs = $"{srvRsa} {ca} -tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384 -alpn pesit", ClientArgs = $"{ca} -tls1_3 -servername cft-server.example.test -alpn pesit -msg",
                    ExpectProtocol = "TLSv1.3", ExpectCipher = 4866, Partner = "PARTNER05", CftVersionText = "TLSv1.3" },
                new Scenario { Name = "tls13-mutual", Description = "TLS 1.3, TLS_AES_128_GCM_SHA256 (4865), mutual authentication",
                    ServerArgs = $"{srvRsa} {ca} -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256 -Verify 2", ClientArgs = $"{ca} {cli} -tls1_3 -msg",
                    ExpectProtocol = "TLSv1.3", ExpectCipher = 4865, Mutual = true, Partner = "PARTNER06" },
                new Scenario { Name = "tls13-hello-retry", Description = "TLS 1.3 HelloRetryRequest: the server accepts only P-256, the client's first key share is X25519",
                    ServerArgs = $"{srvRsa} {ca} -tls1_3 -groups P-256", ClientArgs = $"{ca} -tls1_3 -groups X25519:P-256 -msg",
                    ExpectProtocol = "TLSv1.3", ExpectCipher = 4866, Partner = "PARTNER07" },
                new Scenario { Name = "tls11-rsa-aes256", Description = "TLS 1.1, RSA key exchange, AES256-SHA (53)",
                    ServerArgs = $"{srvRsa} {ca} -tls1_1 -cipher AES256-SHA:@SECLEVEL=0", ClientArgs = $"{ca} -tls1_1 -cipher AES256-SHA:@SECLEVEL=0",
                    ExpectProtocol = "TLSv1.1", ExpectCipher = 53, Partner = "PARTNER12" },
                new Scenario { Name = "tls12-large-certificate", Description = "TLS 1.2 with a 20 KB server certificate: the Certificate message spans several records",
                    ServerArgs = $"-cert server-large.pem -key server-large.key {ca} -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256", ClientArgs = $"{ca} -tls1_2",
                    ExpectProtocol = "TLSv1.2", ExpectCipher = 49199, Partner = "PARTNER13" },
                new Scenario { Name = "tls12-resumption", Description = "TLS 1.2 session resumption: a full handshake, then an abbreviated one with the same session id",
                    ServerArgs = $"{srvRsa} {ca} -tls1_2 -no_ticket", ClientArgs = $"{ca} -tls1_2 -sess_out sess.pem", SecondClientArgs = $"{ca} -tls1_2 -sess_in sess.pem",
                    Connections = 2, ExpectProtocol = "TLSv1.2", ExpectCipher = 49200, Partner = "PARTNER14" },
                new Scenario { Name = "tls12-unknown-ca", Description = "TLS 1.2: the client does not trust the server's CA and sends unknown_ca (48)",
                    ServerArgs = $"{srvRsa} {ca} -tls1_2", ClientArgs = "-CAfile otherca.pem -verify_return_error -tls1_2",
                    ExpectFailure = true, FailureReason = "certificate verify failed", Partner = "PARTNER08", SendData = false },
                new Scenario { Name = "tls12-no-client-cert", Description = "TLS 1.2: the server requires a client certificate and the client has none",
                    ServerArgs = $"{srvRsa} {ca} -tls1_2 -Verify 2", ClientArgs = $"{ca} -tls1_2",
                    ExpectFailure = true, FailureReason = "peer did not return a certificate", Partner = "PARTNER09", SendData = false },
                new Scenario { Name = "tls12-expired-certificate", Description = "TLS 1.2: the server's certificate expired in 2024; the client sends certificate_expired (45)",
                    ServerArgs = $"-cert server-expired.pem -key server-expired.key {ca} -tls1_2", ClientArgs = $"{ca} -verify_return_error -tls1_2",
                    ExpectFailure = true, FailureReason = "certificate has expired", Partner = "PARTNER15", SendData = false },
                new Scenario { Name = "tls-version-mismatch", Description = "The server accepts only TLS 1.2, the client offers only TLS 1.3: protocol_version (70)",
                    ServerArgs = $"{srvRsa} {ca} -tls1_2", ClientArgs = $"{ca} -tls1_3",
                    ExpectFailure = true, FailureReason = "unsupported protocol", Partner = "PARTNER16", SendData = false },
                new Scenario { Name = "tls12-no-shared-cipher", Description = "TLS 1.2: no cipher suite in common, the server sends handshake_failure (40)",
                    ServerArgs = $"{srvRsa} {ca} -tls1_2 -cipher AES256-SHA", ClientArgs = $"{ca} -tls1_2 -cipher AES128-SHA",
                    ExpectFailure = true, FailureReason = "no shared cipher", Partner = "PARTNER10", SendData = false },
                new Scenario { Name = "tls13-no-client-cert", Description = "TLS 1.3: the server requires a client certificate, the client has none; the client finishes the handshake (CFTY14I), then the server's encrypted alert certificate_required (116)",
                    ServerArgs = $"{srvRsa} {ca} -tls1_3 -Verify 2", ClientArgs = $"{ca} -tls1_3",
                    ExpectProtocol = "TLSv1.3", ExpectCipher = 4866, Partner = "PARTNER17", PostHandshakeAlert = 116,
                    FailureReason = "peer did not return a certificate", ExpectClientOutput = "alert number 116" },
                new Scenario { Name = "plain-http-answer", Description = "CFT's ClientHello reaches an HTTP server (python3 -m http.server), which answers 400 in plain text: a partner port that does not speak SSL",
                    ServerCommand = "python3 -u -m http.server {port} --bind 127.0.0.1", ServerReady = "Serving HTTP", ClientArgs = $"{ca} -tls1_2",
                    ExpectFailure = true, PlainText = true, OnlyView = true, FailureReason = "wrong version number", Partner = "PARTNER18", SendData = false },
                new Scenario { Name = "plain-client-to-ssl-server", Description = "A partner connects without SSL to CFT's SSL listener (openssl s_server) and sends a plain HTTP request",
                    ServerArgs = $"{srvRsa} {ca}", PlainClientSends = "GET / HTTP/1.0\r\nHost: cft-server.example.test\r\n\r\n",
                    ExpectFailure = true, PlainText = true, OnlyView = false, FailureReason = "http request", Partner = "PARTNER19", SendData = false },
                new Scenario { Name = "tls12-hostile-subject", Description = "TLS 1.2: the server's certificate has markup in its subject (CN=<script>..., O=Evil & Sons <img ...>) and an untrusted issuer; the client sends unknown_ca (48)",
                    ServerArgs = $"-cert server-hostile.pem -key server-hostile.key {ca} -tls1_2", ClientArgs = $"{ca} -verify_return_error -tls1_2",
                    ExpectFailure = true, FailureReason = "certificate verify failed", Partner = "PARTNER20", SendData = false },
                new Scenario { Name = "tls12-no-expiry", Description = "TLS 1.2, ECDHE-ECDSA AES128-GCM (49195): the server's certificate has no well-defined expiration date (notAfter 99991231235959Z, RFC 5280)",
                    ServerArgs = $"-cert server-noexpiry.pem -key server-noexpiry.key {ca} -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256", ClientArgs = $"{ca} -verify_return_error -tls1_2",
                    ExpectProtocol = "TLSv1.2", ExpectCipher = 49195, Partner = "PARTNER21" },
            };
        }
    }
}
