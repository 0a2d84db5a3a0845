using System;
using System.Threading;
using ProxySql.Generator.Model;
using ProxySql.Generator.Parser.Json;

namespace ProxySql.Generator.Parser;

/// <summary>Recognises <c>appsettings*.json</c> additional files and parses them into <see cref="AppSettingsFile"/> values.</summary>
internal static class AppSettingsReader
{
    public static bool IsAppSettings(string path)
    {
        var name = FileName(path);
        return name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase)
            && name.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
    }

    public static AppSettingsFile Read(string path, string text, CancellationToken cancellationToken)
    {
        var name = FileName(path);
        var isBase = string.Equals(name, "appsettings.json", StringComparison.OrdinalIgnoreCase);
        var result = JsonReader.Read(text, cancellationToken);
        if (result.Root is not null)
        {
            return new AppSettingsFile(path, name, isBase, result.Root, null);
        }

        var error = Diagnostics.InFile(DiagnosticDescriptors.InvalidSettingsJson, path, result.ErrorSpan, name, result.Error ?? "unknown error");
        return new AppSettingsFile(path, name, isBase, null, error);
    }

    /// <summary>The file name; no System.IO.Path, which throws on some characters under .NET Framework hosts.</summary>
    public static string FileName(string path)
    {
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return slash < 0 ? path : path.Substring(slash + 1);
    }
}
