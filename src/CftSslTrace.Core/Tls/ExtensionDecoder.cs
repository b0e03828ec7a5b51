using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CftSslTrace.Registry;
using CftSslTrace.X509;

namespace CftSslTrace.Tls
{
    /// <summary>Where an extension block sits: the meaning of some extensions depends on it.</summary>
    internal enum ExtensionContext { ClientHello, ServerHello, HelloRetryRequest, EncryptedExtensions, CertificateRequest, NewSessionTicket, Certificate }

    /// <summary>Decodes extension lists: every extension named, the ones that matter decoded into words and items.</summary>
    internal static class ExtensionDecoder
    {
        public static NamedList<TlsExtension> DecodeList(ByteCursor c, ExtensionContext context)
        {
            var list = new NamedList<TlsExtension>();
            if (c.AtEnd) return list;
            int total = c.U16("extensions length");
            var ext = c.Sub(total, "extensions", partialOk: true);
            while (!ext.AtEnd)
            {
                int type = ext.U16("extension type");
                int len = ext.U16("extension length");
                var e = new TlsExtension { Type = type, Name = TlsRegistry.ExtensionName(type), Length = len };
                list.Add(e);
                var body = ext.Sub(len, e.Name, partialOk: true);
                try { Decode(e, body, context); }
                catch (TlsDecodeException ex) { e.Value = "(" + ex.Message + ")"; }
            }
            return list;
        }

        private static void Decode(TlsExtension e, ByteCursor c, ExtensionContext context)
        {
            switch (e.Type)
            {
                case 0: // server_name
                    if (c.AtEnd) { e.Value = ""; return; }
                    {
                        var names = c.Sub(c.U16(), "server_name list");
                        while (!names.AtEnd)
                        {
                            int type = names.U8();
                            int len = names.U16();
                            string name = Encoding.UTF8.GetString(names.Bytes(len, "host_name"));
                            e.AddItem(type == 0 ? name : "type" + type + ":" + name);
                        }
                        e.ValueIsItems();
                    }
                    return;
                case 1: // max_fragment_length
                    {
                        int v = c.U8();
                        e.Value = v >= 1 && v <= 4 ? (256 << v).ToString(CultureInfo.InvariantCulture) : "0x" + v.ToString("X2", CultureInfo.InvariantCulture);
                    }
                    return;
                case 5: // status_request
                    if (c.AtEnd) { e.Value = ""; return; }
                    e.Value = c.U8() == 1 ? "OCSP" : "other";
                    return;
                case 10: // supported_groups
                    ListU16(e, c.Sub(c.U16(), "named_group_list"), TlsRegistry.GroupName);
                    return;
                case 11: // ec_point_formats
                    {
                        var l = c.Sub(c.U8(), "ec_point_format_list");
                        while (!l.AtEnd)
                        {
                            int f = l.U8();
                            e.AddRawValue(f);
                            e.AddItem(f == 0 ? "uncompressed" : f == 1 ? "ansiX962_compressed_prime" : f == 2 ? "ansiX962_compressed_char2" : f.ToString(CultureInfo.InvariantCulture));
                        }
                        e.ValueIsItems();
                    }
                    return;
                case 13: // signature_algorithms
                case 50: // signature_algorithms_cert
                    ListU16(e, c.Sub(c.U16(), "supported_signature_algorithms"), TlsRegistry.SignatureSchemeName);
                    return;
                case 16: // application_layer_protocol_negotiation
                    {
                        var l = c.Sub(c.U16(), "protocol_name_list");
                        // as Wireshark shows it: UTF-8, a byte that is not UTF-8 as U+FFFD
                        while (!l.AtEnd) e.AddItem(Encoding.UTF8.GetString(l.Bytes(l.U8(), "protocol name")));
                        e.ValueIsItems();
                    }
                    return;
                case 21: // padding
                    e.Value = c.Remaining + " bytes";
                    return;
                case 27: // compress_certificate
                    {
                        var l = c.Sub(c.U8(), "algorithms");
                        while (!l.AtEnd)
                        {
                            int a = l.U16();
                            e.AddItem(a == 1 ? "zlib" : a == 2 ? "brotli" : a == 3 ? "zstd" : a.ToString(CultureInfo.InvariantCulture));
                        }
                        e.ValueIsItems();
                    }
                    return;
                case 28: // record_size_limit
                    e.Value = c.U16().ToString(CultureInfo.InvariantCulture);
                    return;
                case 35: // session_ticket
                    e.Value = c.Remaining == 0 ? "empty" : c.Remaining + "-byte ticket";
                    return;
                case 41: // pre_shared_key
                    if (context == ExtensionContext.ServerHello) { e.Value = "selected identity " + c.U16(); return; }
                    {
                        var ids = c.Sub(c.U16(), "identities");
                        int n = 0;
                        while (!ids.AtEnd) { ids.Skip(ids.U16(), "identity"); ids.Skip(4, "obfuscated_ticket_age"); n++; }
                        e.Value = n + " identit" + (n == 1 ? "y" : "ies");
                    }
                    return;
                case 42: // early_data
                    e.Value = context == ExtensionContext.NewSessionTicket && c.Remaining >= 4 ? "max " + c.U32() + " bytes" : "";
                    return;
                case 43: // supported_versions
                    if (context == ExtensionContext.ServerHello || context == ExtensionContext.HelloRetryRequest)
                    {
                        int v = c.U16();
                        e.AddRawValue(v);
                        e.AddItem(TlsRegistry.VersionName(v));
                        e.ValueIsItems();
                        return;
                    }
                    ListU16(e, c.Sub(c.U8(), "versions"), TlsRegistry.VersionName);
                    return;
                case 44: // cookie
                    e.Value = c.U16() + "-byte cookie";
                    return;
                case 45: // psk_key_exchange_modes
                    {
                        var l = c.Sub(c.U8(), "ke_modes");
                        while (!l.AtEnd)
                        {
                            int m = l.U8();
                            e.AddItem(m == 0 ? "psk_ke" : m == 1 ? "psk_dhe_ke" : m.ToString(CultureInfo.InvariantCulture));
                        }
                        e.ValueIsItems();
                    }
                    return;
                case 47: // certificate_authorities
                    {
                        var l = c.Sub(c.U16(), "authorities");
                        while (!l.AtEnd) e.AddItem(CertificateInfo.DecodeName(l.Bytes(l.U16(), "DistinguishedName")));
                        e.Value = e.Items.Count + " CA name(s)";
                    }
                    return;
                case 51: // key_share
                    if (context == ExtensionContext.HelloRetryRequest)
                    {
                        int selected = c.U16();
                        e.AddRawValue(selected);
                        e.AddItem(TlsRegistry.GroupName(selected));
                        e.Value = "selected group " + e.Items[0];
                        return;
                    }
                    if (context == ExtensionContext.ServerHello)
                    {
                        int gv = c.U16();
                        string g = TlsRegistry.GroupName(gv);
                        int len = c.U16();
                        e.AddRawValue(gv);
                        e.AddItem(g);
                        e.Value = g + " (" + len + "-byte key)";
                        return;
                    }
                    {
                        var l = c.Sub(c.U16(), "client_shares");
                        var parts = new List<string>();
                        while (!l.AtEnd)
                        {
                            int gv = l.U16();
                            string g = TlsRegistry.GroupName(gv);
                            int len = l.U16();
                            l.Skip(len, "key_exchange");
                            e.AddRawValue(gv);
                            e.AddItem(g);
                            parts.Add(g + " (" + len + "-byte key)");
                        }
                        e.Value = string.Join(", ", parts);
                    }
                    return;
                case 65281: // renegotiation_info
                    {
                        int len = c.U8();
                        e.Value = len == 0 ? "initial handshake" : "renegotiation (" + len + " bytes)";
                    }
                    return;
                case 15: // heartbeat
                    {
                        int m = c.U8();
                        e.Value = m == 1 ? "peer_allowed_to_send" : m == 2 ? "peer_not_allowed_to_send" : m.ToString(CultureInfo.InvariantCulture);
                    }
                    return;
                default:
                    e.Value = c.Remaining == 0 ? "" : c.Remaining + " bytes";
                    return;
            }
        }

        private static void ListU16(TlsExtension e, ByteCursor l, System.Func<int, string> name)
        {
            while (!l.AtEnd) e.AddRawValue(l.U16());
            e.ItemsNamedBy(name);
            e.ValueIsItems();
        }

        public static TlsExtension Find(NamedList<TlsExtension> list, int type)
        {
            foreach (var e in list) if (e.Type == type) return e;
            return null;
        }
    }
}
