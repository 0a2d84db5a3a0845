using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using ProxySql.Generator.Model;

namespace ProxySql.Generator.Parser;

/// <summary>
/// Checks a class's section in each <c>appsettings*.json</c>: peers that the class does not declare (every file),
/// declared peers that are missing (only <c>appsettings.json</c>, since environment overlays add to it), and
/// values that binding would reject. Keys are case-insensitive; a section name with ':' is a nested object.
/// </summary>
internal static class AppSettingsChecker
{
    public static EquatableArray<DiagnosticInfo> Check(DatabasesModel? model, ImmutableArray<AppSettingsFile> files, CancellationToken cancellationToken)
    {
        if (model is null || files.IsDefaultOrEmpty)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var seenPaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.Root is not null && seenPaths.Add(file.Path))
            {
                CheckFile(model, file, file.Root, diagnostics);
            }
        }

        return diagnostics.ToEquatableArray();
    }

    private static void CheckFile(DatabasesModel model, AppSettingsFile file, JsonNode root, List<DiagnosticInfo> diagnostics)
    {
        var sectionPath = model.SectionName.Split(':');
        var sections = new List<JsonMember>();
        Find(root, sectionPath, 0, sections);
        var peersPath = model.SectionName + ":" + ConfigurationKeys.Peers;
        var configuredKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        JsonMember? firstPeers = null;

        foreach (var section in sections)
        {
            var value = section.Value;
            if (value.Kind == JsonKind.Null)
            {
                continue;
            }

            if (value.Kind != JsonKind.Object)
            {
                diagnostics.Add(WrongType(file, model.SectionName, value, "an object"));
                continue;
            }

            foreach (var member in value.Members)
            {
                if (member.Name.IndexOf(':') >= 0)
                {
                    continue; // a flattened "Peers:Edge1"-style key: rare, and checked at startup
                }

                var path = model.SectionName + ":" + member.Name;
                if (ConfigurationKeys.Intervals.Any(i => ConfigurationKeys.NameEquals(i, member.Name)))
                {
                    CheckInterval(file, path, member.Value, diagnostics);
                }
                else if (ConfigurationKeys.NameEquals(member.Name, ConfigurationKeys.Strategy))
                {
                    CheckStrategy(file, path, member.Value, diagnostics);
                }
                else if (ConfigurationKeys.NameEquals(member.Name, ConfigurationKeys.SlowStartWindow))
                {
                    CheckSlowStartWindow(file, path, member.Value, diagnostics);
                }
                else if (ConfigurationKeys.NameEquals(member.Name, ConfigurationKeys.MaxHedgedAttempts))
                {
                    CheckMaxHedgedAttempts(file, path, member.Value, diagnostics);
                }
                else if (ConfigurationKeys.NameEquals(member.Name, ConfigurationKeys.ProbeQuery))
                {
                    CheckProbeQuery(file, path, member.Value, diagnostics);
                }
                else if (ConfigurationKeys.NameEquals(member.Name, ConfigurationKeys.ShutdownSessionsOnMarkDown))
                {
                    CheckBoolean(file, path, member.Value, diagnostics);
                }
                else if (ConfigurationKeys.NameEquals(member.Name, ConfigurationKeys.ConnectionString))
                {
                    CheckString(file, path, member.Value, diagnostics);
                }
                else if (ConfigurationKeys.NameEquals(member.Name, ConfigurationKeys.Peers))
                {
                    if (member.Value.Kind == JsonKind.Null)
                    {
                        continue;
                    }

                    if (member.Value.Kind != JsonKind.Object)
                    {
                        diagnostics.Add(WrongType(file, path, member.Value, "an object whose keys are the peers' configuration keys"));
                        continue;
                    }

                    firstPeers ??= member;
                    CheckPeers(model, file, peersPath, member.Value, configuredKeys, diagnostics);
                }
                else if (ConfigurationKeys.NameEquals(member.Name, ConfigurationKeys.Hosting))
                {
                    continue; // the ProxySql.Gen.Hosting switches, checked when the host is built
                }
                else
                {
                    diagnostics.Add(UnknownSetting(file, path, member, ConfigurationKeys.SectionSettings));
                }
            }
        }

        if (file.IsBase && firstPeers is not null)
        {
            foreach (var peer in model.Peers)
            {
                if (!configuredKeys.Contains(peer.Key))
                {
                    diagnostics.Add(Diagnostics.InFile(DiagnosticDescriptors.PeerMissingFromSettings, file.Path, firstPeers.NameSpan, model.DisplayName, peer.Name, peersPath, file.FileName, peer.Key));
                }
            }
        }
    }

    private static void CheckPeers(DatabasesModel model, AppSettingsFile file, string peersPath, JsonNode peers, HashSet<string> configuredKeys, List<DiagnosticInfo> diagnostics)
    {
        foreach (var entry in peers.Members)
        {
            var separator = entry.Name.IndexOf(':');
            var key = separator < 0 ? entry.Name : entry.Name.Substring(0, separator);
            if (!model.Peers.Any(p => ConfigurationKeys.NameEquals(p.Key, key)))
            {
                var declared = string.Join(", ", model.Peers.Select(p => p.Key));
                diagnostics.Add(Diagnostics.InFile(DiagnosticDescriptors.UndeclaredPeerInSettings, file.Path, entry.NameSpan, key, peersPath, file.FileName, model.DisplayName, declared));
                continue;
            }

            configuredKeys.Add(key);
            if (separator >= 0 || entry.Value.Kind == JsonKind.Null)
            {
                continue;
            }

            var peerPath = peersPath + ":" + key;
            if (entry.Value.Kind != JsonKind.Object)
            {
                diagnostics.Add(WrongType(file, peerPath, entry.Value, "an object with the peer's ConnectionString, Weight and Enabled"));
                continue;
            }

            foreach (var member in entry.Value.Members)
            {
                if (member.Name.IndexOf(':') >= 0)
                {
                    continue;
                }

                var path = peerPath + ":" + member.Name;
                if (ConfigurationKeys.NameEquals(member.Name, ConfigurationKeys.Weight))
                {
                    if (member.Value.Kind != JsonKind.Null
                        && (!member.Value.IsPrimitive || !int.TryParse(member.Value.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var weight) || weight < 0))
                    {
                        diagnostics.Add(WrongType(file, path, member.Value, "a whole number of 0 or more"));
                    }
                }
                else if (ConfigurationKeys.NameEquals(member.Name, ConfigurationKeys.Enabled))
                {
                    CheckBoolean(file, path, member.Value, diagnostics);
                }
                else if (ConfigurationKeys.NameEquals(member.Name, ConfigurationKeys.ConnectionString))
                {
                    CheckString(file, path, member.Value, diagnostics);
                }
                else
                {
                    diagnostics.Add(UnknownSetting(file, path, member, ConfigurationKeys.PeerSettings));
                }
            }
        }
    }

    private static DiagnosticInfo UnknownSetting(AppSettingsFile file, string path, JsonMember member, string[] known) =>
        Diagnostics.InFile(DiagnosticDescriptors.UnknownSetting, file.Path, member.NameSpan, path, file.FileName, string.Join(", ", known));

    private static void CheckInterval(AppSettingsFile file, string path, JsonNode value, List<DiagnosticInfo> diagnostics)
    {
        if (value.Kind != JsonKind.Null && (!value.IsPrimitive || !IntervalText.TryParsePositive(value.Text, out _)))
        {
            diagnostics.Add(WrongType(file, path, value, "a positive TimeSpan of at most 24 days such as \"00:00:30\" or a positive number of seconds such as 30"));
        }
    }

    private static void CheckSlowStartWindow(AppSettingsFile file, string path, JsonNode value, List<DiagnosticInfo> diagnostics)
    {
        if (value.Kind != JsonKind.Null && (!value.IsPrimitive || !IntervalText.TryParse(value.Text, allowZero: true, out _)))
        {
            diagnostics.Add(WrongType(file, path, value, "0 (off) or a positive TimeSpan of at most 24 days such as \"00:00:10\" or a number of seconds such as 10"));
        }
    }

    private static void CheckMaxHedgedAttempts(AppSettingsFile file, string path, JsonNode value, List<DiagnosticInfo> diagnostics)
    {
        if (value.Kind != JsonKind.Null
            && (!value.IsPrimitive
                || !int.TryParse(value.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var attempts)
                || attempts < 0
                || attempts > ConfigurationKeys.MaxHedgedAttemptsLimit))
        {
            diagnostics.Add(WrongType(file, path, value, "a whole number from 0 to 63"));
        }
    }

    private static void CheckProbeQuery(AppSettingsFile file, string path, JsonNode value, List<DiagnosticInfo> diagnostics)
    {
        if (value.Kind == JsonKind.Null)
        {
            return;
        }

        if (!value.IsPrimitive || ConfigurationKeys.ProbeQueryProblem(value.Text) is not null)
        {
            diagnostics.Add(WrongType(file, path, value, "one non-empty SQL statement (no ';' before the end) such as \"SELECT 1\""));
        }
    }

    private static void CheckBoolean(AppSettingsFile file, string path, JsonNode value, List<DiagnosticInfo> diagnostics)
    {
        if (value.Kind != JsonKind.Null && (!value.IsPrimitive || !bool.TryParse(value.Text, out _)))
        {
            diagnostics.Add(WrongType(file, path, value, "true or false"));
        }
    }

    private static void CheckStrategy(AppSettingsFile file, string path, JsonNode value, List<DiagnosticInfo> diagnostics)
    {
        if (value.Kind == JsonKind.Null)
        {
            return;
        }

        var text = value.IsPrimitive ? value.Text?.Trim() : null;
        var known = text is not null && ConfigurationKeys.StrategyNames.Any(n => ConfigurationKeys.NameEquals(n, text));
        if (!known)
        {
            diagnostics.Add(WrongType(file, path, value, "one of " + string.Join(", ", ConfigurationKeys.StrategyNames)));
        }
    }

    private static void CheckString(AppSettingsFile file, string path, JsonNode value, List<DiagnosticInfo> diagnostics)
    {
        if (value.Kind is JsonKind.Object or JsonKind.Array)
        {
            diagnostics.Add(WrongType(file, path, value, "a string"));
        }
    }

    private static DiagnosticInfo WrongType(AppSettingsFile file, string path, JsonNode value, string expected) =>
        Diagnostics.InFile(DiagnosticDescriptors.InvalidSettingsValue, file.Path, value.Span, path, file.FileName, expected, Describe(value));

    /// <summary>Describes a value for a message; strings are cut short so that no long secret is echoed.</summary>
    private static string Describe(JsonNode value) => value.Kind switch
    {
        JsonKind.Object => "an object",
        JsonKind.Array => "an array",
        JsonKind.True => "true",
        JsonKind.False => "false",
        JsonKind.Null => "null",
        JsonKind.Number => value.Text ?? string.Empty,
        _ => "\"" + (value.Text is { Length: > 32 } text ? text.Substring(0, 32) + "…" : value.Text) + "\"",
    };

    /// <summary>Finds the members at <paramref name="path"/>, where an object key may itself hold several ':'-separated parts.</summary>
    private static void Find(JsonNode node, string[] path, int index, List<JsonMember> results)
    {
        if (node.Kind != JsonKind.Object)
        {
            return;
        }

        foreach (var member in node.Members)
        {
            var parts = member.Name.Split(':');
            if (index + parts.Length > path.Length)
            {
                continue;
            }

            var matches = true;
            for (var k = 0; k < parts.Length && matches; k++)
            {
                matches = ConfigurationKeys.NameEquals(parts[k], path[index + k]);
            }

            if (!matches)
            {
                continue;
            }

            if (index + parts.Length == path.Length)
            {
                results.Add(member);
            }
            else
            {
                Find(member.Value, path, index + parts.Length, results);
            }
        }
    }
}
