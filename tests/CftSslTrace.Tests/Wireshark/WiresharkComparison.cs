using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using CftSslTrace.Export;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;

namespace CftSslTrace.Tests.Wireshark
{
    /// <summary>
    /// Compares our decode of a log with Wireshark's: every session is exported with the module's own pcap writer,
    /// dissected by tshark, and every field both decoders produce is compared, per session and per direction.
    /// </summary>
    public sealed class WiresharkComparison
    {
        public int FieldsCompared { get; private set; }
        public int Sessions { get; private set; }
        public List<string> Mismatches { get; } = new List<string>();

        private sealed class WsRecord
        {
            public bool FromServer;
            public XElement Element;
        }

        /// <summary>
        /// Reads the log as Get-CftSslFrame does (every record, application data included), writes the frames as a
        /// capture with the module's exporter, dissects it with tshark and compares session by session.
        /// </summary>
        public void CompareFile(string log, string workDir)
        {
            var frames = new List<TlsFrame>();
            var reader = new SessionReader(log, new SessionReaderOptions { StreamFrames = true });
            var stream = new FrameStream(null, null, false, frames.Add);
            stream.Attach(reader);
            var sessions = new Dictionary<string, CftSslSession>();
            using (var fs = File.OpenRead(log))
                foreach (var s in reader.ReadAll(fs)) { stream.OnSessionEnd(s); sessions[s.SessionId] = s; }
            string pcap = Path.Combine(workDir, Path.GetFileName(log) + ".pcapng");
            var order = new List<string>();
            using (var fs = File.Create(pcap))
            {
                var x = new PcapExporter(fs, CaptureFormat.Pcapng, 443);
                foreach (var f in frames)
                {
                    if (f.Direction == Reading.TraceDirection.Unknown) continue;
                    if (!order.Contains(f.SessionId)) order.Add(f.SessionId);
                    x.Write(f);
                }
                x.Complete();
            }
            var pdml = Tshark.Pdml(pcap, 443);
            var streams = new Dictionary<int, List<WsRecord>>();
            foreach (var packet in pdml.Root.Elements("packet"))
            {
                var fields = packet.Descendants("field").ToList();
                var streamField = fields.FirstOrDefault(f => (string)f.Attribute("name") == "tcp.stream");
                if (streamField == null) continue;
                int index = int.Parse((string)streamField.Attribute("show"), CultureInfo.InvariantCulture);
                bool fromServer = (string)fields.First(f => (string)f.Attribute("name") == "tcp.srcport").Attribute("show") == "443";
                if (!streams.TryGetValue(index, out var list)) streams[index] = list = new List<WsRecord>();
                foreach (var rec in fields.Where(f => (string)f.Attribute("name") == "tls.record"))
                    list.Add(new WsRecord { FromServer = fromServer, Element = rec });
            }
            for (int i = 0; i < order.Count; i++)
            {
                Sessions++;
                streams.TryGetValue(i, out var ws);
                var s = sessions[order[i]];
                CompareSession(Path.GetFileName(log), s, frames.Where(f => f.SessionId == s.SessionId).ToList(), ws ?? new List<WsRecord>());
            }
        }

        private void CompareSession(string file, CftSslSession s, List<TlsFrame> frames, List<WsRecord> ws)
        {
            string where = file + " session " + s.SessionId;
            CompareFingerprints(where, s, ws);
            foreach (bool server in new[] { false, true })
            {
                string dir = where + (server ? " server->client" : " client->server");
                var ours = frames.Where(f => (f.Sender == TlsPeer.Server) == server && !f.Truncated && f.ContentType != "Unrecognized").ToList();
                var theirs = ws.Where(r => r.FromServer == server).ToList();
                Same(dir + " record count", ours.Count.ToString(), theirs.Count.ToString());
                for (int i = 0; i < Math.Min(ours.Count, theirs.Count); i++)
                {
                    string at = dir + " record " + (i + 1);
                    var o = ours[i];
                    var t = theirs[i].Element;
                    // TLS 1.3 protected records: tshark calls the outer type "opaque_type"
                    string type = Show(t, "tls.record.content_type");
                    if (type.Length == 0) type = Show(t, "tls.record.opaque_type");
                    Same(at + " content_type", o.ContentTypeValue.ToString(CultureInfo.InvariantCulture), type);
                    Same(at + " version", "0x" + o.VersionValue.ToString("x4", CultureInfo.InvariantCulture), Show(t, "tls.record.version"));
                    Same(at + " length", o.Length.ToString(CultureInfo.InvariantCulture), Show(t, "tls.record.length"));
                    if (o.Alert != null)
                    {
                        Same(at + " alert level", o.Alert.LevelValue.ToString(CultureInfo.InvariantCulture), Show(t, "tls.alert_message.level"));
                        Same(at + " alert description", o.Alert.Description.ToString(CultureInfo.InvariantCulture), Show(t, "tls.alert_message.desc"));
                    }
                }

                // handshake messages in clear, in order
                var ourMsgs = s.HandshakeMessages.Where(m => (m.Sender == TlsPeer.Server) == server && !m.Truncated).ToList();
                var theirMsgs = theirs.SelectMany(r => Fields(r.Element, "tls.handshake").Where(h => Children(h, "tls.handshake.type").Any())).ToList();
                Same(dir + " handshake types", string.Join(",", ourMsgs.Select(m => m.TypeValue)), string.Join(",", theirMsgs.Select(h => Show(h, "tls.handshake.type"))));
                for (int i = 0; i < Math.Min(ourMsgs.Count, theirMsgs.Count); i++)
                {
                    if (ourMsgs[i].TypeValue.ToString(CultureInfo.InvariantCulture) != Show(theirMsgs[i], "tls.handshake.type")) break;
                    CompareMessage(dir + " message " + (i + 1) + " " + ourMsgs[i].Type, ourMsgs[i], theirMsgs[i]);
                }
            }
        }

        private void CompareFingerprints(string where, CftSslSession s, List<WsRecord> ws)
        {
            // the session's JA3 is the first ClientHello's; every ClientHello's (two after a HelloRetryRequest) in order
            var ja3 = ws.SelectMany(r => Fields(r.Element, "tls.handshake.ja3_full")).Select(f => (string)f.Attribute("show")).ToList();
            if (s.Ja3Full != null || ja3.Count > 0) Same(where + " ja3_full", s.Ja3Full ?? "", ja3.FirstOrDefault() ?? "");
            Same(where + " ja3_full of every ClientHello", string.Join(" | ", s.ClientHelloFingerprints.Select(f => f.Ja3Full)), string.Join(" | ", ja3));
            if (s.Ja3Full != null && ja3.Count > 0) Same(where + " ja3", s.Ja3, Fields(ws.First(r => Fields(r.Element, "tls.handshake.ja3").Any()).Element, "tls.handshake.ja3").Select(f => (string)f.Attribute("show")).First());
            var ja3s = ws.SelectMany(r => Fields(r.Element, "tls.handshake.ja3s_full")).Select(f => (string)f.Attribute("show")).ToList();
            if (s.Ja3sFull != null || ja3s.Count > 0) Same(where + " ja3s_full", s.Ja3sFull ?? "", ja3s.LastOrDefault() ?? "");
        }

        private void CompareMessage(string at, HandshakeMessage m, XElement t)
        {
            Same(at + " length", m.Length.ToString(CultureInfo.InvariantCulture), Show(t, "tls.handshake.length"));
            switch (m)
            {
                case ClientHelloMessage ch:
                    Same(at + " version", Hex4(ch.ClientVersionValue), Show(t, "tls.handshake.version"));
                    Same(at + " cipher suites", string.Join(",", ch.CipherSuites.Select(c => Hex4(c.Id))), All(t, "tls.handshake.ciphersuite"));
                    Same(at + " compression", ch.CompressionMethods.Count.ToString(CultureInfo.InvariantCulture), Fields(t, "tls.handshake.comp_method").Count().ToString(CultureInfo.InvariantCulture));
                    Same(at + " extension types", string.Join(",", ch.Extensions.Select(e => e.Type)), All(t, "tls.handshake.extension.type"));
                    Same(at + " server_name", ch.ServerName ?? "", All(t, "tls.handshake.extensions_server_name"));
                    Same(at + " alpn", string.Join(",", ch.Alpn), All(t, "tls.handshake.extensions_alpn_str"));
                    Same(at + " supported_versions", string.Join(",", Raw(ch.Extensions, 43).Select(Hex4)), All(t, "tls.handshake.extensions.supported_version"));
                    Same(at + " supported_groups", string.Join(",", Raw(ch.Extensions, 10).Select(Hex4)), All(t, "tls.handshake.extensions_supported_group"));
                    Same(at + " ec_point_formats", string.Join(",", Raw(ch.Extensions, 11)), All(t, "tls.handshake.extensions_ec_point_format"));
                    Same(at + " signature_algorithms", string.Join(",", ch.Extensions.Where(e => e.Type == 13 || e.Type == 50).SelectMany(e => e.RawValues).Select(Hex4)), All(t, "tls.handshake.sig_hash_alg"));
                    Same(at + " key_share groups", string.Join(",", Raw(ch.Extensions, 51)), All(t, "tls.handshake.extensions_key_share_group"));
                    break;
                case ServerHelloMessage sh:
                    Same(at + " version", Hex4(sh.ServerVersionValue), Show(t, "tls.handshake.version"));
                    Same(at + " cipher suite", sh.CipherSuite != null ? Hex4(sh.CipherSuite.Id) : "", All(t, "tls.handshake.ciphersuite"));
                    Same(at + " extension types", string.Join(",", sh.Extensions.Select(e => e.Type)), All(t, "tls.handshake.extension.type"));
                    Same(at + " selected version", sh.SelectedVersionValue.HasValue ? Hex4(sh.SelectedVersionValue.Value) : "", All(t, "tls.handshake.extensions.supported_version"));
                    Same(at + " alpn", sh.Alpn ?? "", All(t, "tls.handshake.extensions_alpn_str"));
                    Same(at + " key_share group", string.Join(",", Raw(sh.Extensions, 51)), sh.IsHelloRetryRequest ? All(t, "tls.handshake.extensions_key_share_selected_group") : All(t, "tls.handshake.extensions_key_share_group"));
                    break;
                case CertificateMessage cm:
                    Same(at + " certificate count", cm.Certificates.Count.ToString(CultureInfo.InvariantCulture), Fields(t, "tls.handshake.certificate_length").Count().ToString(CultureInfo.InvariantCulture));
                    Same(at + " certificate lengths", string.Join(",", cm.Certificates.Select(c => c.Length)), All(t, "tls.handshake.certificate_length"));
                    Same(at + " serial numbers", string.Join(",", cm.Certificates.Select(c => c.SerialNumber.ToLowerInvariant())), All(t, "x509af.serialNumber").Replace(":", ""));
                    // per certificate, in TBS order: issuer (x509if.rdnSequence), then subject (x509af.rdnSequence)
                    var names = t.Descendants("field").Where(f => (string)f.Attribute("name") == "x509if.rdnSequence" || (string)f.Attribute("name") == "x509af.rdnSequence").Select(DnFromShowname).ToList();
                    // our names quote a value holding a comma, '<', '>', '+', ';' or '"' (as .NET's X500DistinguishedName does); tshark prints it bare
                    Same(at + " issuers and subjects", string.Join(" | ", cm.Certificates.SelectMany(c => new[] { c.Issuer, c.Subject }).Select(Unquoted)), string.Join(" | ", names));
                    // in document order, UTCTime and GeneralizedTime alike (tshark shows a GeneralizedTime as "Dec 31, 9999 23:59:59.000000000 UTC")
                    var times = t.Descendants("field").Where(f => (string)f.Attribute("name") == "x509af.utcTime" || (string)f.Attribute("name") == "x509af.generalizedTime")
                        .Select(f => (string)f.Attribute("name") == "x509af.utcTime" ? (string)f.Attribute("show") : GeneralizedTime((string)f.Attribute("show"))).ToList();
                    Same(at + " validity", string.Join(",", cm.Certificates.SelectMany(c => new[] { c.NotBefore, c.NotAfter }).Select(d => d?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " (UTC)")), string.Join(",", times));
                    break;
                case CertificateRequestMessage cr:
                    Same(at + " certificate types", string.Join(",", cr.CertificateTypes.Select(CertTypeValue)), All(t, "tls.handshake.cert_type"));
                    Same(at + " signature algorithms", string.Join(",", cr.SignatureAlgorithms.Select(n => Hex4(SchemeValue(n)))), All(t, "tls.handshake.sig_hash_alg"));
                    Same(at + " CA names", string.Join(" | ", cr.CertificateAuthorities), string.Join(" | ", Fields(t, "tls.handshake.dname").Select(DnFromShowname)));
                    break;
                case ServerKeyExchangeMessage ske when ske.Group != null:
                    Same(at + " named curve", Hex4(GroupValue(ske.Group)), All(t, "tls.handshake.server_named_curve"));
                    break;
            }
        }

        /// <summary>A name with its quoted values bare (CN="a, b" as CN=a, b), as tshark shows them.</summary>
        private static string Unquoted(string dn) => dn == null ? null : System.Text.RegularExpressions.Regex.Replace(dn, "=\"((?:[^\"\\\\]|\\\\.)*)\"", m => "=" + m.Groups[1].Value.Replace("\\\"", "\""));

        /// <summary>tshark shows a name as "rdnSequence: 3 items (id-at-commonName=x,id-at-organizationName=y,...)"; ours is "CN=x, O=y, ...".</summary>
        private static string DnFromShowname(XElement f)
        {
            string s = (string)f.Attribute("showname");
            int open = s.IndexOf('(');
            if (open < 0 || !s.EndsWith(")")) return s;
            string inner = s.Substring(open + 1, s.Length - open - 2);
            var parts = inner.Split(new[] { ",id-at-", ",pkcs-9-at-" }, StringSplitOptions.None).Select((p, i) => i == 0 ? p.Replace("id-at-", "").Replace("pkcs-9-at-", "") : p).ToList();
            return string.Join(", ", parts.Select(p =>
            {
                int eq = p.IndexOf('=');
                string type = p.Substring(0, eq), value = p.Substring(eq + 1);
                string shortName = type switch
                {
                    "commonName" => "CN", "organizationName" => "O", "organizationalUnitName" => "OU", "countryName" => "C",
                    "localityName" => "L", "stateOrProvinceName" => "S", "emailAddress" => "E", "serialNumber" => "SERIALNUMBER",
                    _ => type,
                };
                return shortName + "=" + value;
            }));
        }

        private static int CertTypeValue(string name) => name switch
        {
            "rsa_sign" => 1, "dss_sign" => 2, "rsa_fixed_dh" => 3, "dss_fixed_dh" => 4, "ecdsa_sign" => 64, "rsa_fixed_ecdh" => 65, "ecdsa_fixed_ecdh" => 66,
            _ => int.Parse(name, CultureInfo.InvariantCulture),
        };

        private static int SchemeValue(string name)
        {
            for (int v = 0; v <= 0xFFFF; v++) if (Registry.TlsRegistry.SignatureSchemeName(v) == name) return v;
            return -1;
        }

        private static int GroupValue(string name)
        {
            for (int v = 0; v <= 0x2000; v++) if (Registry.TlsRegistry.GroupName(v) == name) return v;
            return -1;
        }

        private static IEnumerable<int> Raw(NamedList<TlsExtension> exts, int type) => (IEnumerable<int>)exts.FirstOrDefault(e => e.Type == type)?.RawValues ?? new List<int>();
        private static string Hex4(int v) => "0x" + v.ToString("x4", CultureInfo.InvariantCulture);
        /// <summary>tshark's text of a GeneralizedTime ("Dec 31, 9999 23:59:59.000000000 UTC") as its UTCTime's ("9999-12-31 23:59:59 (UTC)").</summary>
        private static string GeneralizedTime(string show)
        {
            var m = System.Text.RegularExpressions.Regex.Match(show ?? "", @"^([A-Z][a-z]{2}) +([0-9]{1,2}), ([0-9]{4}) ([0-9]{2}:[0-9]{2}:[0-9]{2})(\.0+)? UTC$");
            if (!m.Success) return show;
            int month = Array.IndexOf(CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedMonthNames, m.Groups[1].Value) + 1;
            return m.Groups[3].Value + "-" + month.ToString("00", CultureInfo.InvariantCulture) + "-" + int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture).ToString("00", CultureInfo.InvariantCulture) + " " + m.Groups[4].Value + " (UTC)";
        }

        private static IEnumerable<XElement> Fields(XElement scope, string name) => scope.Descendants("field").Where(f => (string)f.Attribute("name") == name);
        private static IEnumerable<XElement> Children(XElement scope, string name) => scope.Elements("field").Where(f => (string)f.Attribute("name") == name);
        private static string Show(XElement scope, string name) => (string)Fields(scope, name).FirstOrDefault()?.Attribute("show") ?? "";
        private static string All(XElement scope, string name) => string.Join(",", Fields(scope, name).Select(f => (string)f.Attribute("show")));

        private void Same(string what, string ours, string theirs)
        {
            FieldsCompared++;
            if (!string.Equals(ours, theirs, StringComparison.Ordinal))
                Mismatches.Add(what + ": ours '" + ours + "', tshark '" + theirs + "'");
        }
    }
}
