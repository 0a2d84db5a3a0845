using System.Reflection;

namespace ProxySql.Generator.Emitter;

/// <summary>The generator's own version, for <c>[GeneratedCode]</c>: the package version without build metadata.</summary>
internal static class GeneratorVersion
{
    public static string Value { get; } = Read();

    private static string Read()
    {
        var assembly = typeof(GeneratorVersion).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (informational is { Length: > 0 })
        {
            // "0.1.0+<commit>": the commit would change every generated file on every commit.
            var plus = informational.IndexOf('+');
            return plus < 0 ? informational : informational.Substring(0, plus);
        }

        return assembly.GetName().Version?.ToString() ?? "0.0.0";
    }
}
