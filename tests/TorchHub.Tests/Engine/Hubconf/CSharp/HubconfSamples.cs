
namespace TorchHub.Tests.Engine.Hubconf.CSharp;

/// <summary>hubconf.cs texts shared by the engine and PowerShell tests.</summary>
internal static class HubconfSamples
{
    /// <summary>Plain .NET entrypoints (no TorchSharp) covering the convention and binding.</summary>
    public const string Calculator = """
        using TorchHub.Hubconf.CSharp;

        namespace Calc;

        public enum Mode { Add, Multiply }

        public sealed record Result(int Value, string Label, Mode Mode, string Origin);

        public static class Hubconf
        {
            public static readonly string[] dependencies = ["TorchSharp", "System.Text.Json"];

            /// <summary>
            /// Combines two numbers.
            /// Second line of the summary.
            /// </summary>
            /// <param name="a">The first number.</param>
            /// <param name="b">The second number.</param>
            /// <param name="label">A label for the <see cref="Result"/>.</param>
            /// <param name="mode">How to combine <paramref name="a"/> and <paramref name="b"/>.</param>
            /// <returns>The result with its label.</returns>
            /// <example>Import-HubModel -Path . combine 2 3 -Parameter @{ mode = 'Multiply' }</example>
            public static Result combine(int a, int b = 10, string label = "sum", Mode mode = Mode.Add) =>
                new(mode == Mode.Add ? a + b : a * b, label, mode, Helpers.Origin);

            public static int total(params int[] values) => values.Sum();

            public static string where() => HubContext.Current.RepositoryPath;

            public static string escape() => HubContext.Current.GetPath("../outside.txt");

            public static string fails() => throw new InvalidOperationException("boom from the entrypoint");

            public static int _helper() => 1;

            private static int hidden() => 2;

            internal static int alsoHidden() => 3;
        }

        internal static class NotPublic
        {
            public static int notAnEntrypoint() => 4;
        }
        """;

    /// <summary>A helper class in another file of the repository.</summary>
    public const string CalculatorHelpers = """
        namespace Calc;

        public static class Helpers
        {
            public const string Origin = "helpers file";

            public static int helperNotAnEntrypoint() => 5;
        }
        """;

    public const string Broken = """
        public static class Hubconf
        {
            public static int ok() => 1;

            public static int broken() => undefinedName + 1;
        }
        """;

    public const string MissingDependency = """
        public static class Hubconf
        {
            public static string[] dependencies = new[] { "TorchSharp", "No.Such.Assembly", "Another.Missing" };

            public static int model() => 1;
        }
        """;

    /// <summary>The same type names in every version; only the returned text differs.</summary>
    public static string Versioned(string version) => $$"""
        namespace Same;

        public sealed class Model
        {
            public string Version => "{{version}}";
        }

        public static class Hubconf
        {
            public static Model model() => new();
        }
        """;
}
