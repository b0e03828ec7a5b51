using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>
    /// Export-CftSslReport's page in a real browser (Debian's Chromium, headless, driven by Playwright): what a person
    /// would see. It loads with no console error, no dialog and no request but its own file; the ladders have one
    /// arrow per message; the chain and history charts are drawn and their texts stay inside them; a hostile subject is
    /// text; the filter and the sort work; the print layout hides the controls and fits the page. Skipped, with the
    /// reason, where no Chromium is installed (CI installs it).
    /// </summary>
    public sealed class BrowserTests : IDisposable
    {
        private readonly ITestOutputHelper output;
        private readonly string work = Path.Combine(Path.GetTempPath(), "cftssltrace-browser-" + Guid.NewGuid().ToString("N"));

        public BrowserTests(ITestOutputHelper output)
        {
            this.output = output;
            Directory.CreateDirectory(work);
        }

        public void Dispose()
        {
            try { Directory.Delete(work, true); } catch (IOException) { }
        }

        internal static string Chromium()
        {
            var candidates = new[] { Environment.GetEnvironmentVariable("CFTSSLTRACE_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" };
            return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c));
        }

        /// <summary>Every kind of session of the fixtures, each file read on its own, into one report.</summary>
        private string Report(string name, string script)
        {
            string path = Path.Combine(work, name);
            using (var host = new ModuleHost())
            {
                var r = host.Run(script + " | Export-CftSslReport -LiteralPath $out -Title 'CFT <test> report'", new Dictionary<string, object> { ["out"] = path, ["fixtures"] = ModuleHost.Fixture("") });
                Assert.Empty(r.Errors);
            }
            Assert.True(File.Exists(path));
            return path;
        }

        private const string EveryKind = "$names = 'tls12-ecdhe-rsa-mutual.server', 'tls12-unknown-ca.client', 'tls12-large-certificate.client', 'tls13-hello-retry.client', 'tls13-mutual.client', "
            + "'tls12-resumption.client', 'tls12-no-client-cert.server', 'tls12-expired-certificate.client', 'tls-version-mismatch.client', 'tls12-no-shared-cipher.server', "
            + "'plain-http-answer.client', 'plain-client-to-ssl-server.server', 'tls13-no-client-cert.client', 'tls12-hostile-subject.client'; "
            + "@($names | ForEach-Object { [IO.Path]::Combine($fixtures, \"real/$_.log\") }) + @('sslv2-session.client', 'tls13-draft18.client', 'tls13-hello-retry-no-serverhello.client' | ForEach-Object { [IO.Path]::Combine($fixtures, \"spec/$_.log\") }) "
            + "| ForEach-Object { Get-CftSslSession -LiteralPath $_ -WarningAction SilentlyContinue }";

        private sealed class Browsed : IAsyncDisposable
        {
            public IPlaywright Playwright;
            public IBrowser Browser;
            public IPage Page;
            public readonly List<string> Console = new List<string>();
            public readonly List<string> Requests = new List<string>();
            public readonly List<string> Dialogs = new List<string>();

            public async ValueTask DisposeAsync()
            {
                if (Browser != null) await Browser.DisposeAsync();
                Playwright?.Dispose();
            }
        }

        private static async Task<Browsed> Open(string chromium, string file)
        {
            var b = new Browsed { Playwright = await Microsoft.Playwright.Playwright.CreateAsync() };
            b.Browser = await b.Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium, Headless = true, Timeout = 60000,
                Args = new[] { "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage" },
            });
            b.Page = await b.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
            b.Page.SetDefaultTimeout(30000);
            b.Page.Console += (_, m) => { if (m.Type == "error" || m.Type == "warning") b.Console.Add(m.Type + ": " + m.Text); };
            b.Page.PageError += (_, e) => b.Console.Add("page error: " + e);
            b.Page.Request += (_, r) => b.Requests.Add(r.Url);
            b.Page.Dialog += async (_, d) => { b.Dialogs.Add(d.Message); await d.DismissAsync(); };
            await b.Page.GotoAsync(new Uri(file).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 60000 });
            return b;
        }

        [SkippableFact]
        public async Task EveryKindOfSession_LoadsClean_LaddersDrawnArrowByArrow_TextInsideThePictures()
        {
            string chromium = Chromium();
            Skip.If(chromium == null, "no Chromium (apt-get install chromium): the report is not opened in a browser here");
            string file = Report("every-kind.html", EveryKind);
            await using var b = await Open(chromium, file);

            Assert.Empty(b.Console);   // a script refused by the Content-Security-Policy would be an error here
            Assert.Empty(b.Dialogs);   // the hostile subject's alert() never runs
            Assert.Equal(new[] { new Uri(file).AbsoluteUri }, b.Requests);
            Assert.Equal("CFT <test> report", await b.Page.TitleAsync());

            string json = await b.Page.EvaluateAsync<string>(@"() => JSON.stringify(Array.from(document.querySelectorAll('article.session')).map(a => {
                const svg = a.querySelector('svg.ladder');
                const log = Array.from(a.querySelectorAll('dl.facts dt')).find(dt => dt.textContent === 'Log').nextElementSibling.textContent;
                return { id: a.id, log: log, heading: a.querySelector('h3').textContent, declared: +svg.getAttribute('data-arrows'),
                         arrows: svg.querySelectorAll('g.arrow').length,
                         drawn: Array.from(svg.querySelectorAll('g.arrow line')).filter(l => l.getBBox().width > 100).length };
            }))");
            var sessions = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
            Assert.Equal(18, sessions.Count); // 17 logs, the resumption log holds two sessions
            foreach (var s in sessions)
            {
                int declared = s.GetProperty("declared").GetInt32();
                Assert.Equal(declared, s.GetProperty("arrows").GetInt32());
                Assert.Equal(declared, s.GetProperty("drawn").GetInt32());
            }
            // arrow counts read from the frames of each session by hand: a message per arrow, a record when not a handshake message
            var expected = new Dictionary<string, int>
            {
                ["tls12-ecdhe-rsa-mutual.server.log"] = 16,  // TLS 1.2 mutual, CFT server: 10 messages, 2 ChangeCipherSpec, 2 Finished, 2 closing alerts
                ["tls12-unknown-ca.client.log"] = 6,         // ClientHello .. ServerHelloDone, the fatal alert
                ["tls12-large-certificate.client.log"] = 13, // the certificate over two records is one arrow
                ["tls13-hello-retry.client.log"] = 11,       // HelloRetryRequest: two ClientHellos
                ["sslv2-session.client.log"] = 9,            // SSL 2.0
                ["plain-http-answer.client.log"] = 2,        // ClientHello, and an HTML page for an answer
            };
            foreach (var kv in expected)
            {
                var s = sessions.Single(x => x.GetProperty("log").GetString().StartsWith(kv.Key + ":", StringComparison.Ordinal));
                Assert.Equal(kv.Value, s.GetProperty("arrows").GetInt32());
            }

            // every text of every picture inside its picture: a label longer than the ladder would be cut off on screen
            string overflow = await b.Page.EvaluateAsync<string>(@"() => JSON.stringify(Array.from(document.querySelectorAll('svg')).flatMap(svg => {
                const w = svg.viewBox.baseVal.width;
                return Array.from(svg.querySelectorAll('text')).map(t => ({ t: t.textContent, b: t.getBBox() })).filter(x => x.b.x < -1 || x.b.x + x.b.width > w + 1).map(x => x.t);
            }))");
            Assert.Equal("[]", overflow);

            // the hostile subject is text, on the page and in the ladder's own description
            Assert.Equal(1, await b.Page.EvaluateAsync<int>("() => document.querySelectorAll('script').length"));
            Assert.Equal(0, await b.Page.EvaluateAsync<int>("() => document.querySelectorAll('img').length"));
            Assert.True(await b.Page.EvaluateAsync<bool>("() => document.body.textContent.includes('<script>alert(cft)</script>')"));
            Assert.True(await b.Page.EvaluateAsync<bool>("() => Array.from(document.querySelectorAll('svg.chain g.cert title')).some(t => t.textContent.includes('Evil & Sons <img src=x onerror=alert(2)>'))"));

            // the chains against the session's time: the expired certificate red, bars drawn
            int bars = await b.Page.EvaluateAsync<int>("() => document.querySelectorAll('svg.chain g.cert rect').length");
            Assert.Equal(bars, await b.Page.EvaluateAsync<int>("() => Array.from(document.querySelectorAll('svg.chain g.cert rect')).filter(r => r.getBBox().width >= 3).length"));
            Assert.True(bars >= 10, bars + " certificate bars");
            Assert.Equal("expired", await b.Page.EvaluateAsync<string>("() => document.querySelector('svg.chain g.cert.bad').getAttribute('data-state')"));
            var red = await b.Page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('svg.chain g.cert.bad rect')).fill");
            Assert.Equal("rgb(229, 57, 53)", red);
            output.WriteLine(file + ": " + sessions.Count + " sessions, " + sessions.Sum(s => s.GetProperty("arrows").GetInt32()) + " arrows");
        }

        [SkippableFact]
        public async Task History_ChartsPerPartner_TheFilterAndTheSortWork_AndThePrintLayoutHolds()
        {
            string chromium = Chromium();
            Skip.If(chromium == null, "no Chromium (apt-get install chromium): the report is not opened in a browser here");
            string file = Report("history.html", "Get-CftSslSession -Path ([IO.Path]::Combine($fixtures, 'history/server1/*')) -WarningAction SilentlyContinue");
            await using var b = await Open(chromium, file);
            Assert.Empty(b.Console);
            Assert.Single(b.Requests);

            // one history chart per partner; BANK-A: two sessions that worked, two that failed, its certificate change
            Assert.Equal(5, await b.Page.EvaluateAsync<int>("() => document.querySelectorAll('svg.history').length"));
            string bankA = await b.Page.EvaluateAsync<string>(@"() => { const a = Array.from(document.querySelectorAll('article.partner')).find(x => x.querySelector('h3').textContent.startsWith('BANK-A'));
                return [a.querySelectorAll('.pt.good').length, a.querySelectorAll('.pt.bad').length, a.querySelectorAll('g.change').length, a.querySelectorAll('ol.changes li').length].join(','); }");
            Assert.Equal("2,2,1,3", bankA);
            Assert.True(await b.Page.EvaluateAsync<bool>("() => Array.from(document.querySelectorAll('article.failing')).some(a => a.textContent.includes('Likely cause (ServerIssuer)'))"));

            // filter: the rows of one partner; sort: by result
            Assert.False(await b.Page.IsHiddenAsync("#filter"));
            await b.Page.FillAsync("#filter", "BANK-A failed");
            Assert.Equal(2, await b.Page.EvaluateAsync<int>("() => Array.from(document.querySelectorAll('#table tbody tr')).filter(r => !r.hidden).length"));
            Assert.Equal("2 of 15 sessions", await b.Page.TextContentAsync("#shown"));
            await b.Page.FillAsync("#filter", "");
            await b.Page.ClickAsync("#table th:nth-child(5)");
            Assert.Equal("ascending", await b.Page.GetAttributeAsync("#table th:nth-child(5)", "aria-sort"));
            Assert.Equal("Established", await b.Page.TextContentAsync("#table tbody tr:first-child td:nth-child(5)"));
            await b.Page.ClickAsync("#table th:nth-child(5)");
            Assert.Equal("Failed", await b.Page.TextContentAsync("#table tbody tr:first-child td:nth-child(5)"));

            // print: no controls, nothing wider than an A4 page, each session on a page of its own
            await b.Page.SetViewportSizeAsync(794, 1123);
            await b.Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
            Assert.Equal("none", await b.Page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('nav')).display"));
            Assert.Equal("none", await b.Page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('p.filter')).display"));
            string wide = await b.Page.EvaluateAsync<string>("() => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 795).slice(0, 5).map(e => e.tagName + '.' + e.getAttribute('class') + ' ' + Math.round(e.getBoundingClientRect().right)).join('; ')");
            Assert.True(await b.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 794, "wider than the page: " + wide);
            Assert.Equal("page", await b.Page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('article.session')).breakBefore"));
            byte[] pdf = await b.Page.PdfAsync(new PagePdfOptions { Format = "A4", PrintBackground = true });
            int pages = System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page[^s]").Count;
            output.WriteLine("PDF: " + pdf.Length + " bytes, " + pages + " pages");
            Assert.True(pages >= 16, pages + " pages"); // the summary, then one page or more per session
        }

        [SkippableFact]
        public async Task TheExampleReportShipped_LoadsClean()
        {
            string chromium = Chromium();
            Skip.If(chromium == null, "no Chromium (apt-get install chromium): the report is not opened in a browser here");
            string file = Path.Combine(ModuleHost.RepoRoot, "module", "Examples", "cft-ssl-report.html");
            await using var b = await Open(chromium, file);
            Assert.Empty(b.Console);
            Assert.Single(b.Requests);
            Assert.Equal(15, await b.Page.EvaluateAsync<int>("() => document.querySelectorAll('article.session svg.ladder').length"));
        }

        [SkippableFact]
        public async Task ReadsWithoutScript_TheTableIsThere_TheFilterBoxIsNot()
        {
            string chromium = Chromium();
            Skip.If(chromium == null, "no Chromium (apt-get install chromium): the report is not opened in a browser here");
            string file = Report("noscript.html", "Get-CftSslSession -Path ([IO.Path]::Combine($fixtures, 'history/server2/*')) -WarningAction SilentlyContinue");
            var pw = await Microsoft.Playwright.Playwright.CreateAsync();
            try
            {
                await using var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Timeout = 60000, Args = new[] { "--no-sandbox", "--disable-gpu" } });
                var context = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
                var page = await context.NewPageAsync();
                await page.GotoAsync(new Uri(file).AbsoluteUri);
                Assert.True(await page.IsHiddenAsync("p.filter"));
                Assert.True(await page.Locator("#table tbody tr").CountAsync() > 0);
                Assert.True(await page.Locator("svg.ladder g.arrow").CountAsync() > 0);
            }
            finally { pw.Dispose(); }
        }
    }
}
