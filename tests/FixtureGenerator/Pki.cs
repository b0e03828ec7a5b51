using System;
using System.Globalization;
using System.IO;

namespace FixtureGenerator
{
    /// <summary>Test PKI made with the openssl CLI: a root CA, an intermediate CA, server (RSA and ECDSA) and client certificates, and a CA nobody trusts.</summary>
    internal sealed class Pki
    {
        public string Dir { get; }
        public string CaCert => Path.Combine(Dir, "ca.pem");
        public string OtherCaCert => Path.Combine(Dir, "otherca.pem");
        public string ServerRsaCert => Path.Combine(Dir, "server-rsa.pem");
        public string ServerRsaKey => Path.Combine(Dir, "server-rsa.key");
        public string ServerRsaChain => Path.Combine(Dir, "server-rsa-chain.pem");
        public string ServerEcCert => Path.Combine(Dir, "server-ec.pem");
        public string ServerEcKey => Path.Combine(Dir, "server-ec.key");
        public string ClientCert => Path.Combine(Dir, "client.pem");
        public string ClientKey => Path.Combine(Dir, "client.key");

        public string ExpiredCert => Path.Combine(Dir, "server-expired.pem");
        public string LargeCert => Path.Combine(Dir, "server-large.pem");
        public string NoExpiryCert => Path.Combine(Dir, "server-noexpiry.pem");

        /// <summary>The date the certificates start from (their notBefore), or null for now.</summary>
        public DateTime? AsOf { get; }

        /// <summary>How long the certificates are valid (all but the expired one), or null for each its own (825 days to 10 years).</summary>
        public int? Days { get; }

        public Pki(string dir, DateTime? asOf = null, int? days = null)
        {
            Dir = dir;
            AsOf = asOf;
            Days = days;
            Directory.CreateDirectory(dir);
            Make();
        }

        // openssl 3.0 (Debian 12) cannot set the start date of "req -x509" and "x509 -req": a PKI for sessions in the past
        // is made at that date under libfaketime (Debian package faketime)
        private void Run(string args)
        {
            if (Days != null) args = System.Text.RegularExpressions.Regex.Replace(args, @"-days [0-9]+", "-days " + Days.Value.ToString(CultureInfo.InvariantCulture));
            if (AsOf == null) Proc.Run("openssl", args, Dir, 60);
            else Proc.Run("faketime", "\"" + AsOf.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "\" openssl " + args, Dir, 60);
        }

        private void Make()
        {
            File.WriteAllText(Path.Combine(Dir, "ca.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n");
            File.WriteAllText(Path.Combine(Dir, "server.ext"), "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:cft-server.example.test,DNS:localhost,IP:127.0.0.1\n");
            File.WriteAllText(Path.Combine(Dir, "client.ext"), "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=email:cft@example.test\n");
            Run("req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -sha256 -subj \"/C=FR/O=CftSslTrace Test/OU=PKI/CN=CftSslTrace Test Root CA\" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -set_serial 0x1001");
            Run("req -newkey rsa:2048 -nodes -keyout inter.key -out inter.csr -subj \"/C=FR/O=CftSslTrace Test/CN=CftSslTrace Test Intermediate CA\"");
            Run("x509 -req -in inter.csr -CA ca.pem -CAkey ca.key -set_serial 0x2002 -days 3000 -sha256 -extfile ca.ext -out inter.pem");
            Run("req -x509 -newkey rsa:2048 -nodes -keyout otherca.key -out otherca.pem -days 3650 -sha256 -subj \"/C=DE/O=Unrelated Org/CN=Unrelated Root CA\" -set_serial 0x3003");
            Run("req -newkey rsa:2048 -nodes -keyout server-rsa.key -out server-rsa.csr -subj \"/C=FR/L=Paris/O=Example Bank/OU=Transfers/CN=cft-server.example.test\"");
            Run("x509 -req -in server-rsa.csr -CA inter.pem -CAkey inter.key -set_serial 0x0A11CE01 -days 825 -sha256 -extfile server.ext -out server-rsa.pem");
            File.WriteAllText(ServerRsaChain, File.ReadAllText(Path.Combine(Dir, "inter.pem")));
            Run("req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server-ec.key -out server-ec.csr -subj \"/C=FR/O=Example Bank/CN=cft-ec.example.test\"");
            Run("x509 -req -in server-ec.csr -CA ca.pem -CAkey ca.key -set_serial 0x0EC0EC -days 825 -sha256 -extfile server.ext -out server-ec.pem");
            // an OCSP response for the RSA server certificate, for stapling (status_request / CertificateStatus)
            File.WriteAllText(Path.Combine(Dir, "index.txt"), "V\t351231000000Z\t\t0A11CE01\tunknown\t/C=FR/L=Paris/O=Example Bank/OU=Transfers/CN=cft-server.example.test\n");
            Run("ocsp -index index.txt -rsigner inter.pem -rkey inter.key -CA inter.pem -issuer inter.pem -cert server-rsa.pem -respout ocsp-server-rsa.der -ndays 3650");
            // an expired server certificate, signed with "openssl ca" (which can set past dates)
            Directory.CreateDirectory(Path.Combine(Dir, "ca-db"));
            File.WriteAllText(Path.Combine(Dir, "ca-db", "index.txt"), "");
            File.WriteAllText(Path.Combine(Dir, "ca-db", "serial"), "0E4E\n");
            File.WriteAllText(Path.Combine(Dir, "ca.cnf"), "[ ca ]\ndefault_ca = test\n[ test ]\ndir = ca-db\ndatabase = ca-db/index.txt\nserial = ca-db/serial\nnew_certs_dir = ca-db\n"
                + "certificate = ca.pem\nprivate_key = ca.key\ndefault_md = sha256\npolicy = anything\nunique_subject = no\ncopy_extensions = none\n[ anything ]\ncountryName = optional\norganizationName = optional\ncommonName = supplied\n");
            Run("req -newkey rsa:2048 -nodes -keyout server-expired.key -out server-expired.csr -subj \"/C=FR/O=Example Bank/CN=expired.example.test\"");
            Run("ca -batch -config ca.cnf -in server-expired.csr -out server-expired.pem -startdate 240101000000Z -enddate 240102000000Z -extfile server.ext -notext");
            // a server certificate without a well-defined expiration date: notAfter 99991231235959Z (RFC 5280, 4.1.2.5), the
            // last second DateTime can hold
            Run("req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server-noexpiry.key -out server-noexpiry.csr -subj \"/C=FR/O=Example Bank/CN=noexpiry.example.test\"");
            Run("ca -batch -config ca.cnf -in server-noexpiry.csr -out server-noexpiry.pem -startdate 261101000000Z -enddate 99991231235959Z -extfile server.ext -notext");
            // a server certificate larger than one TLS record (about 20 KB of alternative names): its Certificate message spans records
            var sans = new System.Text.StringBuilder("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost");
            for (int i = 0; i < 700; i++) sans.Append(",DNS:transfer-node-" + i.ToString("000") + ".partners.example.test");
            File.WriteAllText(Path.Combine(Dir, "large.ext"), sans.Append('\n').ToString());
            Run("req -newkey rsa:2048 -nodes -keyout server-large.key -out server-large.csr -subj \"/C=FR/O=Example Bank/CN=large.example.test\"");
            Run("x509 -req -in server-large.csr -CA ca.pem -CAkey ca.key -set_serial 0x1A26E -days 825 -sha256 -extfile large.ext -out server-large.pem");
            // the same server renewed under another CA (the history fixtures: a partner that changed CA)
            Run("req -newkey rsa:2048 -nodes -keyout server-newca.key -out server-newca.csr -subj \"/C=FR/L=Paris/O=Example Bank/OU=Transfers/CN=cft-server.example.test\"");
            Run("x509 -req -in server-newca.csr -CA otherca.pem -CAkey otherca.key -set_serial 0x0A11CE02 -days 825 -sha256 -extfile server.ext -out server-newca.pem");
            // a server certificate whose subject is markup (a report must show it as text): signed by the CA nobody trusts
            File.WriteAllText(Path.Combine(Dir, "hostile.cnf"), "[ req ]\nprompt = no\ndistinguished_name = dn\nutf8 = yes\nstring_mask = utf8only\n[ dn ]\nC = FR\n"
                + "O = Evil & Sons <img src=x onerror=alert(2)>\nCN = <script>alert(\"cft\")</script>\n");
            Run("req -new -newkey rsa:2048 -nodes -keyout server-hostile.key -out server-hostile.csr -config hostile.cnf");
            Run("x509 -req -in server-hostile.csr -CA otherca.pem -CAkey otherca.key -set_serial 0x0BAD -days 825 -sha256 -extfile server.ext -out server-hostile.pem");
            Run("req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj \"/C=FR/O=Partner Corp/CN=PARTNER01\"");
            Run("x509 -req -in client.csr -CA ca.pem -CAkey ca.key -set_serial 0x0C11E47 -days 825 -sha256 -extfile client.ext -out client.pem");
        }
    }
}
