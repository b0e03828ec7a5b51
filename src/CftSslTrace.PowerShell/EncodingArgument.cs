using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// -Encoding as Get-Content takes it, in Windows PowerShell 5.1 and PowerShell 7 alike: a name (utf8, utf8BOM,
    /// utf8NoBOM, unicode, bigendianunicode, utf32, bigendianutf32, ascii, latin1, default/ansi, oem), a code page
    /// number (1252, 850, 1047...), an encoding's web name (windows-1252, ibm037), or an Encoding object.
    /// </summary>
    internal static class EncodingArgument
    {
        public static readonly string[] Names = { "ascii", "bigendianunicode", "bigendianutf32", "default", "latin1", "oem", "unicode", "utf32", "utf8", "utf8BOM", "utf8NoBOM" };

        public static Encoding Resolve(object value)
        {
            switch (value)
            {
                case null: return null;
                case Encoding e: return e;
                case int cp: return ByCodePage(cp);
                case long lcp: return ByCodePage((int)lcp);
            }
            string s = value.ToString().Trim();
            if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int page)) return ByCodePage(page);
            switch (s.ToLowerInvariant())
            {
                case "ascii": return Encoding.ASCII;
                case "bigendianunicode": return Encoding.BigEndianUnicode;
                case "bigendianutf32": return new UTF32Encoding(true, true);
                case "unicode": return Encoding.Unicode;
                case "utf32": return Encoding.UTF32;
                case "utf8": case "utf8bom": case "utf8nobom": case "utf-8": return new UTF8Encoding(false);
                case "latin1": return Encoding.GetEncoding(28591);
                case "default": case "ansi": return ByCodePage(CultureInfo.CurrentCulture.TextInfo.ANSICodePage);
                case "oem": return ByCodePage(CultureInfo.CurrentCulture.TextInfo.OEMCodePage);
            }
            EnsureCodePages();
            return Encoding.GetEncoding(s);
        }

        private static Encoding ByCodePage(int codePage)
        {
            EnsureCodePages();
            return Encoding.GetEncoding(codePage);
        }

        private static bool registered;

        /// <summary>
        /// Windows code pages (1252, 850, EBCDIC...) need CodePagesEncodingProvider on .NET (PowerShell 7 registers it; a
        /// host may not). Found by reflection so that the module references nothing but netstandard.
        /// </summary>
        private static void EnsureCodePages()
        {
            if (registered) return;
            registered = true;
            try
            {
                var type = Type.GetType("System.Text.CodePagesEncodingProvider, System.Text.Encoding.CodePages", false);
                var provider = type?.GetProperty("Instance")?.GetValue(null) as EncodingProvider;
                if (provider != null) Encoding.RegisterProvider(provider);
            }
            catch (Exception e) when (e is TypeLoadException || e is System.IO.FileNotFoundException || e is System.Reflection.TargetInvocationException) { }
        }
    }

    /// <summary>Turns the -Encoding argument into an Encoding (see <see cref="EncodingArgument"/>).</summary>
    public sealed class EncodingTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            try
            {
                return EncodingArgument.Resolve(value);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException)
            {
                throw new ArgumentTransformationMetadataException("'" + value + "' is not an encoding: use " + string.Join(", ", EncodingArgument.Names) + ", a code page number (1252, 850, 1047) or an encoding name (windows-1252, ibm037).", e);
            }
        }
    }

    /// <summary>Completes -Encoding with the names Get-Content knows.</summary>
    public sealed class EncodingCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var p = Wildcards.ForCompletion(wordToComplete);
            return EncodingArgument.Names.Where(n => p.IsMatch(n)).Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
        }
    }
}
