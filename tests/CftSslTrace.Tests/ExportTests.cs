using System.IO;
using System.Linq;
using CftSslTrace.Export;
using CftSslTrace.X509;
using Xunit;

namespace CftSslTrace.Tests
{
    public class CertificateFileNameTests
    {
        private static CertificateInfo Cert(string cn)
        {
            // a real certificate from the fixtures, with the common name we want to test
            var s = Fixtures.Sessions("real/tls12-ecdhe-rsa-mutual.client.log").Single();
            var c = s.ServerCertificate;
            typeof(CertificateInfo).GetProperty("CommonName").SetValue(c, cn);
            return c;
        }

        [Theory]
        [InlineData("cft-server.example.test", "cft-server.example.test_")]
        [InlineData("../../etc/passwd", "etc_passwd_")]
        [InlineData("..\\..\\Windows\\win.ini", "Windows_win.ini_")]
        [InlineData("CON", "_CON_")]
        [InlineData("nul.txt", "_nul.txt_")]
        [InlineData("a:b*c?d\"e<f>g|h", "a_b_c_d_e_f_g_h_")]
        [InlineData("...", "certificate_")]
        [InlineData("Société Générale", "Soci_t_G_n_rale_")]
        public void FileNames_StayInTheFolder_AndAreValidOnWindows(string cn, string prefix)
        {
            var c = Cert(cn);
            string name = CertificateFileName.For(c, ".cer");
            Assert.StartsWith(prefix, name);
            Assert.EndsWith("_" + c.Thumbprint.Substring(0, 8) + ".cer", name);
            Assert.Equal(name, Path.GetFileName(name));
            Assert.DoesNotContain("..", name);
            Assert.Equal(-1, name.IndexOfAny(new[] { '<', '>', ':', '"', '/', '\\', '|', '?', '*' }));
        }
    }
}
