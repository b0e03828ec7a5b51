using System;
using CftSslTrace.Reading;
using CftSslTrace.Registry;
using CftSslTrace.X509;

namespace CftSslTrace.Tls
{
    /// <summary>
    /// SSL 2.0 (draft-hickman-netscape-ssl-00): the record layer (two-byte headers, three-byte ones with padding) once
    /// the server answered with an SSL 2.0 server-hello, and its handshake messages: client-hello, server-hello (with the
    /// server certificate and the cipher kinds), client-master-key (the kind chosen), error; every record after the
    /// client-master-key is encrypted (client-finished, server-verify, server-finished...).
    /// </summary>
    internal sealed partial class TlsConversation
    {
        private bool sslV2KeyExchanged;
        private int sslV2EncryptedSent, sslV2EncryptedReceived;

        /// <summary>An SSL 2.0 handshake completed: a client-master-key, then encrypted records both ways.</summary>
        private bool SslV2HandshakeCompleted => sslV2KeyExchanged && sslV2EncryptedSent > 0 && sslV2EncryptedReceived > 0;

        private void SslV2Record(DirectionState d, TlsFrame frame, CutRecord rec)
        {
            var dir = d.Direction;
            int bodyStart = rec.HeaderLength;
            if (sslV2KeyExchanged)
            {
                if (dir == TraceDirection.Sent) sslV2EncryptedSent++; else sslV2EncryptedReceived++;
                frame.Encrypted = true;
                frame.Messages = "Encrypted";
                frame.Summary = "Encrypted SSL 2.0 record, " + rec.DeclaredLength + " bytes (client-finished, server-verify, server-finished or data)";
                if (SslV2HandshakeCompleted && HandshakeCompletedTime == null) HandshakeCompletedTime = rec.Time;
                return;
            }
            int msgType = rec.Captured > bodyStart ? rec.Bytes[bodyStart] : -1;
            var c = new ByteCursor(rec.Bytes, bodyStart, Math.Max(0, rec.Bytes.Length - bodyStart));
            HandshakeMessage msg;
            switch (msgType)
            {
                case 1 when ClientHello == null: msg = ClientHelloV2(c, dir); break;
                case 4: msg = ServerHelloV2(c, rec, frame, dir); break;
                case 2: msg = ClientMasterKeyV2(c, rec); break;
                case 0: ErrorV2(c, rec, frame, dir); return;
                default:
                    frame.Messages = "SSL 2.0 record";
                    frame.Summary = "SSL 2.0 record, " + rec.DeclaredLength + " bytes (message type " + msgType + ")";
                    return;
            }
            msg.Line = frame.Line;
            msg.Position = frame.Position;
            msg.Direction = dir;
            msg.Length = rec.DeclaredLength;
            msg.CapturedLength = Math.Max(0, Math.Min(rec.Captured, rec.Bytes.Length) - bodyStart);
            msg.Summary = HandshakeDecoder.WithCapture(msg, msg.Summary);
            frame.AddMessage(msg);
            session.HandshakeMessages.Add(msg);
            frame.Messages = msg.Type;
            frame.Summary = msg.Summary;
            var cm = pendingV2Certificate;
            pendingV2Certificate = null;
            if (cm != null)
            {
                // the server certificate travels inside the server-hello: a Certificate message of its own for what follows (chains, exports)
                frame.AddMessage(cm);
                session.HandshakeMessages.Add(cm);
                frame.Messages += " Certificate";
            }
        }

        private CertificateMessage pendingV2Certificate;

        private ClientHelloMessage ClientHelloV2(ByteCursor c, TraceDirection dir)
        {
            var ch = new ClientHelloMessage { Type = "ClientHello", TypeValue = 1, IsSslV2Format = true };
            try
            {
                c.U8("msg_type");
                ch.ClientVersionValue = c.U16("version");
                ch.ClientVersion = TlsRegistry.VersionName(ch.ClientVersionValue);
                int specs = c.U16("cipher_spec_length"), sid = c.U16("session_id_length"), challenge = c.U16("challenge_length");
                var sc = c.Sub(specs, "cipher_specs", partialOk: true);
                while (sc.Remaining >= 3) ch.CipherSuites.Add(CipherKind(sc.U8(), sc.U8(), sc.U8()));
                ch.SessionId = HandshakeDecoder.Hex(c.Bytes(sid, "session_id"));
                ch.Random = HandshakeDecoder.Hex(c.Bytes(challenge, "challenge"));
            }
            catch (TlsDecodeException e) { ch.DecodeError = e.Message; }
            ch.Summary = "ClientHello (SSLv2 format) " + ch.ClientVersion + ", " + ch.CipherSuites.Count + " suites";
            ClientHello = ch; FirstClientHello = ch;
            if (clientDirection == TraceDirection.Unknown) session.HelloClientDirection = clientDirection = dir;
            return ch;
        }

        private ServerHelloMessage ServerHelloV2(ByteCursor c, CutRecord rec, TlsFrame frame, TraceDirection dir)
        {
            var sh = new ServerHelloMessage { Type = "ServerHello", TypeValue = 4, IsSslV2Format = true };
            CertificateMessage cm = null;
            try
            {
                c.U8("msg_type");
                int hit = c.U8("session_id_hit");
                int certType = c.U8("certificate_type");
                sh.ServerVersionValue = c.U16("version");
                sh.ServerVersion = TlsRegistry.VersionName(sh.ServerVersionValue);
                int certLength = c.U16("certificate_length"), specs = c.U16("cipher_specs_length"), connectionId = c.U16("connection_id_length");
                sh.ResumesSession = hit != 0;
                if (certLength > 0)
                {
                    var der = c.Sub(certLength, "certificate", partialOk: true);
                    var bytes = der.Bytes(der.Remaining);
                    var info = context.Certificates != null ? context.Certificates.Decode(bytes, certLength, 0) : CertificateInfo.Decode(bytes, certLength);
                    cm = new CertificateMessage { Type = "Certificate", TypeValue = 11, Line = frame.Line, Position = frame.Position, Direction = dir, Length = certLength, CapturedLength = bytes.Length, ChainLength = certLength };
                    cm.Certificates.Add(info);
                    cm.Summary = "Certificate (in the SSL 2.0 server-hello, type " + (certType == 1 ? "X.509" : certType.ToString(System.Globalization.CultureInfo.InvariantCulture)) + "): " + info;
                }
                var sc = c.Sub(specs, "cipher_specs", partialOk: true);
                while (sc.Remaining >= 3) sh.SslV2CipherKinds.Add(CipherKind(sc.U8(), sc.U8(), sc.U8()));
                sh.Random = HandshakeDecoder.Hex(c.Bytes(connectionId, "connection_id"));
            }
            catch (TlsDecodeException e) { sh.DecodeError = e.Message; }
            sh.Summary = "ServerHello (SSL 2.0) " + (sh.ServerVersion ?? "?") + ", " + sh.SslV2CipherKinds.Count + " cipher kinds" + (sh.ResumesSession ? ", session id hit" : "")
                + (sh.SslV2CipherKinds.Count > 0 ? ": " + string.Join(", ", sh.SslV2CipherKinds) : "");
            pendingV2Certificate = cm;
            if (clientDirection == TraceDirection.Unknown) session.HelloClientDirection = clientDirection = dir == TraceDirection.Sent ? TraceDirection.Received : TraceDirection.Sent;
            ServerHello = sh;
            serverHelloSeen = true;
            context.Version = sh.ServerVersionValue;
            // from now on both directions carry SSL 2.0 records
            State(TraceDirection.Sent).Cutter.SslV2Records = true;
            State(TraceDirection.Received).Cutter.SslV2Records = true;
            return sh;
        }

        private SslV2ClientMasterKeyMessage ClientMasterKeyV2(ByteCursor c, CutRecord rec)
        {
            var m = new SslV2ClientMasterKeyMessage { Type = "ClientMasterKey", TypeValue = 2 };
            try
            {
                c.U8("msg_type");
                m.CipherKind = CipherKind(c.U8("cipher_kind"), c.U8("cipher_kind"), c.U8("cipher_kind"));
                m.ClearKeyLength = c.U16("clear_key_length");
                m.EncryptedKeyLength = c.U16("encrypted_key_length");
                m.KeyArgLength = c.U16("key_arg_length");
            }
            catch (TlsDecodeException e) { m.DecodeError = e.Message; }
            m.Summary = "ClientMasterKey (SSL 2.0) " + (m.CipherKind?.Name ?? "?") + ", " + m.EncryptedKeyLength + "-byte encrypted key" + (m.ClearKeyLength > 0 ? ", " + m.ClearKeyLength + " bytes of key in clear (export)" : "");
            if (ServerHello != null && ServerHello.IsSslV2Format && m.CipherKind != null) ServerHello.CipherSuite = m.CipherKind;
            context.CipherSuite = m.CipherKind;
            sslV2KeyExchanged = true;
            return m;
        }

        private void ErrorV2(ByteCursor c, CutRecord rec, TlsFrame frame, TraceDirection dir)
        {
            int code = -1;
            try { c.U8("msg_type"); code = c.U16("error_code"); } catch (TlsDecodeException) { }
            string name;
            switch (code)
            {
                case 1: name = "ssl2_no_cipher_error"; break;
                case 2: name = "ssl2_no_certificate_error"; break;
                case 4: name = "ssl2_bad_certificate_error"; break;
                case 6: name = "ssl2_unsupported_certificate_type_error"; break;
                default: name = "ssl2_error_" + code; break;
            }
            // SSL 2.0 errors end the handshake (no-certificate may be answered, but CFT-era peers abort): fatal
            var a = new AlertInfo { LevelValue = 2, Level = "fatal", Description = SslV2ErrorBase + Math.Max(0, code), Name = name, Line = frame.Line, Position = frame.Position, Direction = dir };
            frame.Alert = a;
            session.Alerts.Add(a);
            frame.ContentType = "Alert";
            frame.ContentTypeValue = 21;
            frame.Messages = "Alert " + name;
            frame.Summary = "SSL 2.0 error " + name + " (" + code + ")";
        }

        /// <summary>SSL 2.0 error codes are reported as alert descriptions from here on (they are not TLS alert numbers).</summary>
        internal const int SslV2ErrorBase = 1000;

        private static CipherSuiteInfo CipherKind(int a, int b, int c)
            => a == 0 ? TlsRegistry.GetCipherSuite((b << 8) | c) : CipherSuiteInfo.Unknown((a << 16) | (b << 8) | c, SslV2CipherName((a << 16) | (b << 8) | c));
    }
}
