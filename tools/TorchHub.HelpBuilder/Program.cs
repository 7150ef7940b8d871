using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace TorchHub.HelpBuilder;

/// <summary>
/// help    --docs docs/help --module out/TorchHub [--culture en-US]
///         writes &lt;module&gt;/&lt;culture&gt;/TorchHub.PowerShell.dll-Help.xml and about_*.help.txt
/// package --module out/TorchHub --output out/packages [--include-native]
///         writes &lt;output&gt;/TorchHub.&lt;version&gt;.nupkg
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            var options = ParseOptions(args.Skip(1));
            switch (args.FirstOrDefault())
            {
                case "help":
                    var written = BuildHelp(Required(options, "docs"), Required(options, "module"), options.GetValueOrDefault("culture", "en-US"));
                    Console.WriteLine($"TorchHub.HelpBuilder: {written.Commands} cmdlet page(s) and {written.Abouts} about topic(s) -> {written.Folder}");
                    return 0;
                case "package":
                    var package = ModulePackager.Pack(Required(options, "module"), Required(options, "output"), options.ContainsKey("include-native"));
                    Console.WriteLine($"TorchHub.HelpBuilder: {package}");
                    return 0;
                default:
                    Console.Error.WriteLine("usage: TorchHub.HelpBuilder help --docs <folder> --module <module folder> [--culture en-US]");
                    Console.Error.WriteLine("       TorchHub.HelpBuilder package --module <module folder> --output <folder> [--include-native]");
                    return 2;
            }
        }
        catch (Exception ex) when (ex is FormatException or IOException or ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine("TorchHub.HelpBuilder: error: " + ex.Message);
            return 1;
        }
    }

    public static (int Commands, int Abouts, string Folder) BuildHelp(string docs, string module, string culture = "en-US")
    {
        var folder = Path.Combine(module, culture);
        var pages = Directory.GetFiles(docs, "*.md").OrderBy(p => p, StringComparer.Ordinal).ToList();
        var abouts = pages.Where(p => Path.GetFileName(p).StartsWith("about_", StringComparison.OrdinalIgnoreCase)).ToList();
        var commands = pages.Except(abouts).Select(MarkdownHelpReader.ReadFile).ToList();
        var assemblyFile = commands.Select(c => c.FrontMatter.GetValueOrDefault("external help file")).FirstOrDefault(f => !string.IsNullOrEmpty(f))
                           ?? "TorchHub.PowerShell.dll-Help.xml";
        var mismatched = commands.Where(c => c.FrontMatter.GetValueOrDefault("external help file") is { } f && f != assemblyFile).Select(c => c.Name).ToList();
        if (mismatched.Count > 0)
            throw new FormatException($"pages name another external help file than {assemblyFile}: {string.Join(", ", mismatched)}");
        if (Directory.Exists(folder))
        {
            // Drop about topics whose page is gone, so the module never ships stale help.
            foreach (var stale in Directory.GetFiles(folder, "about_*.help.txt"))
                if (!abouts.Any(a => Path.GetFileNameWithoutExtension(a) + ".help.txt" == Path.GetFileName(stale))) File.Delete(stale);
        }
        MamlWriter.Write(commands, Path.Combine(folder, assemblyFile));
        foreach (var about in abouts) AboutTopicWriter.ConvertFile(about, folder);
        return (commands.Count, abouts.Count, folder);
    }

    private static Dictionary<string, string> ParseOptions(IEnumerable<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                pending = arg[2..];
                options[pending] = "";
            }
            else if (pending is not null)
            {
                options[pending] = arg;
                pending = null;
            }
            else throw new ArgumentException($"unexpected argument '{arg}'");
        }
        return options;
    }

    private static string Required(Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new ArgumentException($"--{name} is required");
}
