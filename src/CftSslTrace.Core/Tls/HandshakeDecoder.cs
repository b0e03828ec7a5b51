using System;
using System.Globalization;
using System.Text;
using CftSslTrace.Registry;
using CftSslTrace.X509;

namespace CftSslTrace.Tls
{
    /// <summary>What the decoder knows of the connection so far, which the meaning of some messages depends on.</summary>
    internal sealed class HandshakeContext
    {
        /// <summary>Negotiated version (0x0303...) once a ServerHello was seen.</summary>
        public int? Version;
        public CipherSuiteInfo CipherSuite;
        public bool IsTls13 => Version.HasValue && TlsRegistry.IsTls13Family(Version.Value);
        /// <summary>Certificates already decoded by this reader (null: decode each).</summary>
        public X509.CertificateCache Certificates;
    }

    /// <summary>Decodes one handshake message body field by field. Fields decoded before a truncation stay set.</summary>
    internal static class HandshakeDecoder
    {
        private static readonly byte[] HelloRetryRandom = HexBytes("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

        public static HandshakeMessage Decode(int type, byte[] body, int announcedLength, HandshakeContext ctx)
            => Decode(type, body, 0, body.Length, announcedLength, ctx);

        /// <summary>
        /// Decodes a message whose captured body is <paramref name="captured"/> bytes of <paramref name="data"/> from
        /// <paramref name="offset"/> (a record's bytes: no copy; the message keeps copies of what it holds, never the array).
        /// </summary>
        public static HandshakeMessage Decode(int type, byte[] data, int offset, int captured, int announcedLength, HandshakeContext ctx)
        {
            HandshakeMessage m = Create(type, ctx);
            m.Type = TlsRegistry.HandshakeTypeName(type);
            m.TypeValue = type;
            m.Length = announcedLength;
            m.CapturedLength = captured;
            if (m is ServerHelloMessage sh0 && IsHelloRetry(data, offset, captured)) { m.Type = "HelloRetryRequest"; sh0.IsHelloRetryRequest = true; }
            var c = new ByteCursor(data, offset, captured);
            try
            {
                Fill(m, c, ctx);
            }
            catch (TlsDecodeException e)
            {
                m.DecodeError = e.Message;
            }
            m.DeferSummary();
            return m;
        }

        /// <summary>A decoded message in one line (with its truncation or decoding error).</summary>
        internal static string SummaryOf(HandshakeMessage m) => WithCapture(m, Summarize(m));

        /// <summary>A message's summary with what its capture lacks: its truncation, or why its decoding stopped.</summary>
        internal static string WithCapture(HandshakeMessage m, string summary)
        {
            if (m.Truncated) return summary + " [truncated: " + m.CapturedLength + " of " + m.Length + " bytes]";
            if (m.DecodeError != null) return summary + " [" + m.DecodeError + "]";
            return summary;
        }

        private static HandshakeMessage Create(int type, HandshakeContext ctx)
        {
            switch (type)
            {
                case 1: return new ClientHelloMessage();
                case 2: return new ServerHelloMessage();
                case 4: return new NewSessionTicketMessage();
                case 8: return new EncryptedExtensionsMessage();
                case 11: return new CertificateMessage();
                case 12: return new ServerKeyExchangeMessage();
                case 13: return new CertificateRequestMessage();
                case 15: return new CertificateVerifyMessage();
                case 16: return new ClientKeyExchangeMessage();
                case 20: return new FinishedMessage();
                case 22: return new CertificateStatusMessage();
                case 24: return new KeyUpdateMessage();
                default: return new HandshakeMessage();
            }
        }

        private static bool IsHelloRetry(byte[] data, int offset, int captured)
        {
            if (captured < 34) return false;
            for (int i = 0; i < 32; i++) if (data[offset + 2 + i] != HelloRetryRandom[i]) return false;
            return true;
        }

        private static void Fill(HandshakeMessage m, ByteCursor c, HandshakeContext ctx)
        {
            switch (m)
            {
                case ClientHelloMessage ch: ClientHello(ch, c); break;
                case ServerHelloMessage sh: ServerHello(sh, c); break;
                case CertificateMessage cm: Certificate(cm, c, ctx); break;
                case CertificateRequestMessage cr: CertificateRequest(cr, c, ctx); break;
                case ServerKeyExchangeMessage ske: ServerKeyExchange(ske, c, ctx); break;
                case ClientKeyExchangeMessage cke: ClientKeyExchange(cke, c, ctx); break;
                case CertificateVerifyMessage cv:
                    if (ctx.Version == null || ctx.Version >= 0x0303) cv.SignatureAlgorithm = TlsRegistry.SignatureSchemeName(c.U16("signature algorithm"));
                    cv.SignatureLength = ctx.Version == 0x0300 ? c.Remaining : c.U16("signature length");
                    break;
                case FinishedMessage f: f.VerifyDataLength = c.Remaining; break;
                case NewSessionTicketMessage nst:
                    nst.LifetimeSeconds = c.U32("ticket lifetime");
                    if (ctx.IsTls13)
                    {
                        c.Skip(4, "ticket_age_add");
                        c.Skip(c.U8("ticket_nonce length"), "ticket_nonce");
                    }
                    nst.TicketLength = c.U16("ticket length");
                    c.Skip(nst.TicketLength, "ticket");
                    if (ctx.IsTls13) nst.Extensions = ExtensionDecoder.DecodeList(c, ExtensionContext.NewSessionTicket);
                    break;
                case EncryptedExtensionsMessage ee: ee.Extensions = ExtensionDecoder.DecodeList(c, ExtensionContext.EncryptedExtensions); break;
                case CertificateStatusMessage cs:
                    {
                        int t = c.U8("status_type");
                        cs.StatusType = t == 1 ? "ocsp" : t == 2 ? "ocsp_multi" : t.ToString(CultureInfo.InvariantCulture);
                        cs.ResponseLength = c.U24("response length");
                    }
                    break;
                case KeyUpdateMessage ku: ku.UpdateRequested = c.U8("request_update") == 1; break;
            }
        }

        private static void ClientHello(ClientHelloMessage ch, ByteCursor c)
        {
            ch.ClientVersionValue = c.U16("client_version");
            ch.ClientVersion = TlsRegistry.VersionName(ch.ClientVersionValue);
            ReadRandom(c, out byte[] random, out DateTime? time);
            ch.SetRandom(random); ch.RandomTime = time;
            ch.SetSessionId(c.Bytes(c.U8("session_id length"), "session_id"));
            var suites = c.Sub(c.U16("cipher_suites length"), "cipher_suites", partialOk: true);
            while (suites.Remaining >= 2) ch.CipherSuites.Add(TlsRegistry.GetCipherSuite(suites.U16()));
            var comp = c.Sub(c.U8("compression_methods length"), "compression_methods");
            while (!comp.AtEnd) ch.CompressionMethods.Add(CompressionName(comp.U8()));
            ch.Extensions = ExtensionDecoder.DecodeList(c, ExtensionContext.ClientHello);
            ApplyClientExtensions(ch);
        }

        private static void ApplyClientExtensions(ClientHelloMessage ch)
        {
            foreach (var e in ch.Extensions)
            {
                switch (e.Type)
                {
                    case 0: ch.ServerName = e.Items.Count > 0 ? e.Items[0] : null; break;
                    case 5: ch.StatusRequest = true; break;
                    case 10: ch.SupportedGroupsExtension = e; break;
                    case 11: ch.EcPointFormats = e.Items; break;
                    case 13: ch.SignatureAlgorithmsExtension = e; break;
                    case 16: ch.Alpn = e.Items; break;
                    case 23: ch.ExtendedMasterSecret = true; break;
                    case 35: ch.SessionTicket = true; break;
                    case 41: ch.PreSharedKey = true; break;
                    case 43: ch.SupportedVersionsExtension = e; break;
                    case 45: ch.PskKeyExchangeModes = e.Items; break;
                    case 51: ch.KeyShareGroups = e.Items; break;
                    case 65281: ch.RenegotiationInfo = true; break;
                }
            }
            foreach (var s in ch.CipherSuites) if (s.Id == 0x00FF) ch.RenegotiationInfo = true;
        }

        private static void ServerHello(ServerHelloMessage sh, ByteCursor c)
        {
            sh.ServerVersionValue = c.U16("server_version");
            sh.ServerVersion = TlsRegistry.VersionName(sh.ServerVersionValue);
            var layout = TlsRegistry.ServerHelloLayoutOf(sh.ServerVersionValue);
            if (layout == ServerHelloLayout.Unknown)
            {
                // a pre-standard version whose ServerHello layout is not known: a suite read at the wrong place is worse than none
                throw new TlsDecodeException("the ServerHello layout of " + sh.ServerVersion + " is not known: its fields are not decoded");
            }
            ReadRandom(c, out byte[] random, out DateTime? time);
            sh.SetRandom(random); sh.RandomTime = sh.IsHelloRetryRequest ? null : time;
            // 0304 in the hello is an early draft's (no session id, no compression); a hello whose bytes only fit the
            // classic layout is read in that one
            if (layout == ServerHelloLayout.Tls13Draft && sh.ServerVersionValue == 0x0304 && !FitsDraftLayout(c) && FitsLegacyLayout(c)) layout = ServerHelloLayout.Legacy;
            if (layout == ServerHelloLayout.Tls13Draft)
            {
                // TLS 1.3 drafts before 22 (Chrome 55-63, Firefox 52-59): the version in the hello itself, no legacy session
                // id echo, no compression method
                // 0304 there is a draft before the 7Fxx numbering, not the final protocol
                sh.SelectedVersion = sh.ServerVersionValue == 0x0304 ? EarlyDraft : sh.ServerVersion;
                sh.SelectedVersionValue = sh.ServerVersionValue;
                sh.CipherSuite = TlsRegistry.GetCipherSuite(c.U16("cipher_suite"));
            }
            else
            {
                sh.SetSessionId(c.Bytes(c.U8("session_id length"), "session_id"));
                sh.CipherSuite = TlsRegistry.GetCipherSuite(c.U16("cipher_suite"));
                sh.CompressionMethod = CompressionName(c.U8("compression_method"));
            }
            sh.Extensions = ExtensionDecoder.DecodeList(c, sh.IsHelloRetryRequest ? ExtensionContext.HelloRetryRequest : ExtensionContext.ServerHello);
            foreach (var e in sh.Extensions)
            {
                switch (e.Type)
                {
                    case 16: sh.Alpn = e.Items.Count > 0 ? e.Items[0] : null; break;
                    case 23: sh.ExtendedMasterSecret = true; break;
                    case 43:
                        if (e.Length >= 2 && e.Items.Count > 0)
                        {
                            sh.SelectedVersion = e.Items[0];
                            sh.SelectedVersionValue = VersionValue(e.Items[0]);
                        }
                        break;
                    case 51: sh.KeyShareGroup = e.Items.Count > 0 ? e.Items[0] : null; break;
                    case 65281: sh.RenegotiationInfo = true; break;
                }
            }
        }

        /// <summary>The version of a ServerHello of a TLS 1.3 draft that carries 0304 in its version field.</summary>
        internal const string EarlyDraft = "TLS 1.3 draft (early)";

        /// <summary>After the random: cipher_suite(2), then nothing or an extensions block that ends the message.</summary>
        private static bool FitsDraftLayout(ByteCursor c)
        {
            int left = c.Remaining;
            if (left == 2) return true;
            if (left < 4) return false;
            return c.PeekU16(2) == left - 4;
        }

        /// <summary>After the random: session_id(1 + n), cipher_suite(2), compression(1), then nothing or an extensions block that ends the message.</summary>
        private static bool FitsLegacyLayout(ByteCursor c)
        {
            int left = c.Remaining;
            if (left < 1) return false;
            int sid = c.PeekU8(0);
            int rest = left - 1 - sid - 3;
            if (rest == 0) return true;
            if (rest < 2) return false;
            return c.PeekU16(1 + sid + 3) == rest - 2;
        }

        private static int? VersionValue(string name)
        {
            for (int v = 0x0300; v <= 0x0304; v++) if (TlsRegistry.VersionName(v) == name) return v;
            for (int v = 0x7F00; v <= 0x7FFF; v++) if (TlsRegistry.VersionName(v) == name) return v;
            return null;
        }

        private static void Certificate(CertificateMessage cm, ByteCursor c, HandshakeContext ctx)
        {
            if (ctx.IsTls13) c.Skip(c.U8("certificate_request_context length"), "certificate_request_context");
            cm.ChainLength = c.U24("certificate_list length");
            var list = c.Sub(cm.ChainLength, "certificate_list", partialOk: true);
            int index = 0;
            while (!list.AtEnd)
            {
                int len = list.U24("certificate length");
                var der = list.Sub(len, "certificate", partialOk: true);
                int captured = der.Remaining;
                CertificateInfo info;
                if (ctx.Certificates != null) info = ctx.Certificates.Decode(der.Slice(captured, out int at), at, captured, len, index++);
                else { info = CertificateInfo.Decode(der.Bytes(captured), len); info.Index = index++; }
                cm.Certificates.Add(info);
                if (captured < len) break;
                if (ctx.IsTls13 && !list.AtEnd) list.Skip(list.U16("certificate extensions length"), "certificate extensions");
            }
        }

        private static void CertificateRequest(CertificateRequestMessage cr, ByteCursor c, HandshakeContext ctx)
        {
            if (ctx.IsTls13)
            {
                c.Skip(c.U8("certificate_request_context length"), "certificate_request_context");
                cr.Extensions = ExtensionDecoder.DecodeList(c, ExtensionContext.CertificateRequest);
                foreach (var e in cr.Extensions)
                {
                    if (e.Type == 13) cr.SignatureAlgorithms = e.Items;
                    if (e.Type == 47) cr.CertificateAuthorities = e.Items;
                }
                return;
            }
            var types = c.Sub(c.U8("certificate_types length"), "certificate_types");
            while (!types.AtEnd) cr.CertificateTypes.Add(CertificateTypeName(types.U8()));
            if (ctx.Version == null || ctx.Version >= 0x0303)
            {
                var algs = c.Sub(c.U16("supported_signature_algorithms length"), "supported_signature_algorithms");
                while (algs.Remaining >= 2) cr.SignatureAlgorithms.Add(TlsRegistry.SignatureSchemeName(algs.U16()));
            }
            var cas = c.Sub(c.U16("certificate_authorities length"), "certificate_authorities", partialOk: true);
            while (!cas.AtEnd)
            {
                int len = cas.U16("distinguished name length");
                cr.CertificateAuthorities.Add(CertificateInfo.DecodeName(cas.Bytes(len, "distinguished name")));
            }
        }

        private static void ServerKeyExchange(ServerKeyExchangeMessage ske, ByteCursor c, HandshakeContext ctx)
        {
            // without a ServerHello (trace cut before it), ECDHE is by far the most common: try it
            string kx = ctx.CipherSuite?.KeyExchange ?? "ECDHE";
            ske.KeyExchange = kx;
            if (kx.Contains("PSK"))
            {
                c.Skip(c.U16("psk_identity_hint length"), "psk_identity_hint");
                if (kx == "PSK" || kx == "RSA_PSK") return;
            }
            if (kx.StartsWith("ECDH", StringComparison.Ordinal))
            {
                int curveType = c.U8("curve_type");
                if (curveType != 3) { ske.Group = "explicit curve (type " + curveType + ")"; return; }
                ske.Group = TlsRegistry.GroupName(c.U16("named_curve"));
                ske.KeySize = GroupBits(ske.Group);
                ske.PublicKeyLength = c.U8("public key length");
                c.Skip(ske.PublicKeyLength.Value, "public key");
            }
            else if (kx.StartsWith("DH", StringComparison.Ordinal))
            {
                int plen = c.U16("dh_p length");
                var p = c.Bytes(plen, "dh_p");
                ske.KeySize = Bits(p);
                c.Skip(c.U16("dh_g length"), "dh_g");
                ske.PublicKeyLength = c.U16("dh_Ys length");
                c.Skip(ske.PublicKeyLength.Value, "dh_Ys");
            }
            else if (kx.StartsWith("RSA", StringComparison.Ordinal))
            {
                var mod = c.Bytes(c.U16("rsa_modulus length"), "rsa_modulus");
                ske.KeySize = Bits(mod);
                c.Skip(c.U16("rsa_exponent length"), "rsa_exponent");
            }
            else return;
            if (kx.Contains("anon") || c.AtEnd) return;
            if (ctx.Version == null || ctx.Version >= 0x0303) ske.SignatureAlgorithm = TlsRegistry.SignatureSchemeName(c.U16("signature algorithm"));
            ske.SignatureLength = c.U16("signature length");
        }

        private static void ClientKeyExchange(ClientKeyExchangeMessage cke, ByteCursor c, HandshakeContext ctx)
        {
            string kx = ctx.CipherSuite?.KeyExchange ?? "Unknown";
            cke.KeyExchange = kx;
            if (kx.StartsWith("ECDH", StringComparison.Ordinal)) cke.ExchangeKeysLength = c.U8("ecdh_Yc length");
            else if (kx.StartsWith("DH", StringComparison.Ordinal)) cke.ExchangeKeysLength = c.U16("dh_Yc length");
            else if (kx.StartsWith("RSA", StringComparison.Ordinal))
                cke.ExchangeKeysLength = ctx.Version == 0x0300 ? c.Remaining : c.U16("encrypted pre-master secret length");
            else cke.ExchangeKeysLength = c.Remaining;
        }

        private static string Summarize(HandshakeMessage m)
        {
            switch (m)
            {
                case ClientHelloMessage ch:
                    {
                        var sb = new StringBuilder("ClientHello " + (ch.ClientVersion ?? "?"));
                        if (ch.SupportedVersions.Count > 0) sb.Append(" (supported_versions: " + ch.SupportedVersions + ")");
                        sb.Append(", " + ch.CipherSuites.Count + " suites");
                        if (ch.ServerName != null) sb.Append(", SNI " + ch.ServerName);
                        if (ch.Alpn.Count > 0) sb.Append(", ALPN " + ch.Alpn);
                        if (ch.SessionIdLength > 0) sb.Append(", session id ").Append(ch.SessionIdLength).Append(" bytes");
                        return sb.ToString();
                    }
                case ServerHelloMessage sh:
                    if (sh.IsHelloRetryRequest) return "HelloRetryRequest " + (sh.KeyShareGroup != null ? "for group " + sh.KeyShareGroup : "") + ", " + sh.CipherSuite;
                    return "ServerHello " + (sh.NegotiatedVersion ?? "?") + ", " + (sh.CipherSuite != null ? sh.CipherSuite.Name + " (" + sh.CipherSuite.Id + ")" : "?")
                        + (sh.Alpn != null ? ", ALPN " + sh.Alpn : "") + (sh.KeyShareGroup != null ? ", key share " + sh.KeyShareGroup : "");
                case CertificateMessage cm:
                    if (cm.ChainLength == 0 && !cm.Truncated) return "Certificate: empty (no certificate sent)";
                    return "Certificate: " + cm.Certificates.Count + " cert(s)" + (cm.Certificates.Count > 0 ? ": " + Describe(cm.Certificates[0]) : "");
                case CertificateRequestMessage cr:
                    return "CertificateRequest: " + cr.CertificateAuthorities.Count + " CA name(s)" + (cr.CertificateTypes.Count > 0 ? ", types " + cr.CertificateTypes : "");
                case ServerKeyExchangeMessage ske:
                    return "ServerKeyExchange " + ske.KeyExchange + (ske.Group != null ? " " + ske.Group : "") + (ske.KeySize.HasValue ? " (" + ske.KeySize + " bits)" : "")
                        + (ske.SignatureAlgorithm != null ? ", signed " + ske.SignatureAlgorithm : "");
                case ClientKeyExchangeMessage cke:
                    return "ClientKeyExchange " + cke.KeyExchange + (cke.ExchangeKeysLength.HasValue ? " (" + cke.ExchangeKeysLength + "-byte " + (cke.KeyExchange.StartsWith("RSA", StringComparison.Ordinal) ? "encrypted pre-master secret)" : "public value)") : "");
                case CertificateVerifyMessage cv:
                    return "CertificateVerify" + (cv.SignatureAlgorithm != null ? " " + cv.SignatureAlgorithm : "") + (cv.SignatureLength.HasValue ? " (" + cv.SignatureLength + "-byte signature)" : "");
                case FinishedMessage f: return "Finished (" + f.VerifyDataLength + "-byte verify data)";
                case NewSessionTicketMessage nst: return "NewSessionTicket lifetime " + nst.LifetimeSeconds + " s, " + nst.TicketLength + "-byte ticket";
                case EncryptedExtensionsMessage ee: return "EncryptedExtensions: " + ee.Extensions;
                case CertificateStatusMessage cs: return "CertificateStatus " + cs.StatusType + " (" + cs.ResponseLength + "-byte response)";
                case KeyUpdateMessage ku: return "KeyUpdate" + (ku.UpdateRequested ? " (update requested)" : "");
                default: return m.Type;
            }
        }

        private static string Describe(CertificateInfo c)
        {
            if (c.Subject == null) return c.Truncated ? "(truncated: " + c.CapturedLength + " of " + c.Length + " bytes)" : "(undecodable)";
            return c.Subject + (c.Issuer != null ? " issued by " + c.Issuer : "");
        }

        private static void ReadRandom(ByteCursor c, out byte[] random, out DateTime? time)
        {
            var r = c.Bytes(32, "random");
            random = r;
            uint t = ((uint)r[0] << 24) | ((uint)r[1] << 16) | ((uint)r[2] << 8) | r[3];
            time = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(t);
        }

        private static string CompressionName(int v) => v == 0 ? "null" : v == 1 ? "DEFLATE" : v == 64 ? "LZS" : v.ToString(CultureInfo.InvariantCulture);

        private static string CertificateTypeName(int t)
        {
            switch (t)
            {
                case 1: return "rsa_sign"; case 2: return "dss_sign"; case 3: return "rsa_fixed_dh"; case 4: return "dss_fixed_dh";
                case 5: return "rsa_ephemeral_dh"; case 6: return "dss_ephemeral_dh"; case 20: return "fortezza_dms";
                case 64: return "ecdsa_sign"; case 65: return "rsa_fixed_ecdh"; case 66: return "ecdsa_fixed_ecdh";
                default: return t.ToString(CultureInfo.InvariantCulture);
            }
        }

        private static int? GroupBits(string group)
        {
            switch (group)
            {
                case "secp256r1": case "x25519": case "brainpoolP256r1": case "brainpoolP256r1tls13": return 256;
                case "secp384r1": case "brainpoolP384r1": case "brainpoolP384r1tls13": return 384;
                case "secp521r1": return 521;
                case "x448": return 448;
                default: return null;
            }
        }

        private static int Bits(byte[] v)
        {
            int i = 0;
            while (i < v.Length && v[i] == 0) i++;
            if (i == v.Length) return 0;
            int bits = (v.Length - i - 1) * 8, top = v[i];
            while (top > 0) { bits++; top >>= 1; }
            return bits;
        }

        internal static string Hex(byte[] b) => b.Length == 0 ? "" : X509.DerReader.Hex(b, 0, b.Length);

        private static byte[] HexBytes(string hex)
        {
            var b = new byte[hex.Length / 2];
            for (int i = 0; i < b.Length; i++) b[i] = Convert.ToByte(hex.Substring(i * 2, 2), 16);
            return b;
        }
    }
}
