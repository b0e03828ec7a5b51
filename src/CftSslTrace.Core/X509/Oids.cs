using System.Collections.Generic;

namespace CftSslTrace.X509
{
    /// <summary>Names of the object identifiers found in certificates exchanged by TLS peers.</summary>
    internal static class Oids
    {
        private static readonly Dictionary<string, string> names = new Dictionary<string, string>
        {
            // attribute types in distinguished names (the short names .NET and Windows display)
            ["2.5.4.3"] = "CN", ["2.5.4.4"] = "SN", ["2.5.4.5"] = "SERIALNUMBER", ["2.5.4.6"] = "C", ["2.5.4.7"] = "L",
            ["2.5.4.8"] = "S", ["2.5.4.9"] = "STREET", ["2.5.4.10"] = "O", ["2.5.4.11"] = "OU", ["2.5.4.12"] = "T",
            ["2.5.4.42"] = "G", ["2.5.4.43"] = "I", ["2.5.4.46"] = "dnQualifier", ["2.5.4.97"] = "OrganizationIdentifier",
            ["1.2.840.113549.1.9.1"] = "E", ["0.9.2342.19200300.100.1.25"] = "DC", ["0.9.2342.19200300.100.1.1"] = "UID",
            // public key algorithms
            ["1.2.840.113549.1.1.1"] = "RSA", ["1.2.840.10045.2.1"] = "ECC", ["1.2.840.10040.4.1"] = "DSA",
            ["1.3.101.112"] = "Ed25519", ["1.3.101.113"] = "Ed448", ["1.2.840.113549.1.1.10"] = "RSASSA-PSS",
            ["1.2.840.10046.2.1"] = "DH",
            // signature algorithms (Windows names)
            ["1.2.840.113549.1.1.4"] = "md5RSA", ["1.2.840.113549.1.1.5"] = "sha1RSA", ["1.2.840.113549.1.1.11"] = "sha256RSA",
            ["1.2.840.113549.1.1.12"] = "sha384RSA", ["1.2.840.113549.1.1.13"] = "sha512RSA", ["1.2.840.113549.1.1.14"] = "sha224RSA",
            ["1.2.840.113549.1.1.2"] = "md2RSA",
            ["1.2.840.10045.4.1"] = "sha1ECDSA", ["1.2.840.10045.4.3.2"] = "sha256ECDSA", ["1.2.840.10045.4.3.3"] = "sha384ECDSA",
            ["1.2.840.10045.4.3.4"] = "sha512ECDSA", ["1.2.840.10040.4.3"] = "sha1DSA", ["2.16.840.1.101.3.4.3.2"] = "sha256DSA",
            // named curves
            ["1.2.840.10045.3.1.7"] = "nistP256", ["1.3.132.0.34"] = "nistP384", ["1.3.132.0.35"] = "nistP521",
            ["1.3.132.0.10"] = "secp256k1", ["1.3.36.3.3.2.8.1.1.7"] = "brainpoolP256r1", ["1.3.36.3.3.2.8.1.1.11"] = "brainpoolP384r1",
            ["1.3.36.3.3.2.8.1.1.13"] = "brainpoolP512r1",
            // extensions
            ["2.5.29.17"] = "SubjectAltName", ["2.5.29.19"] = "BasicConstraints", ["2.5.29.15"] = "KeyUsage", ["2.5.29.37"] = "ExtendedKeyUsage",
            ["2.5.29.14"] = "SubjectKeyIdentifier", ["2.5.29.35"] = "AuthorityKeyIdentifier",
        };

        private static readonly Dictionary<string, int> curveBits = new Dictionary<string, int>
        {
            ["1.2.840.10045.3.1.7"] = 256, ["1.3.132.0.34"] = 384, ["1.3.132.0.35"] = 521, ["1.3.132.0.10"] = 256,
            ["1.3.36.3.3.2.8.1.1.7"] = 256, ["1.3.36.3.3.2.8.1.1.11"] = 384, ["1.3.36.3.3.2.8.1.1.13"] = 512,
        };

        public static string Name(string oid) => names.TryGetValue(oid, out var n) ? n : oid;
        public static int? CurveBits(string oid) => curveBits.TryGetValue(oid, out var b) ? b : (int?)null;
    }
}
