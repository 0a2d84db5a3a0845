namespace ProxySql.Generator;

/// <summary>Names of the tracked pipeline steps, for the incremental caching tests.</summary>
internal static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Model = nameof(Model);
    public const string SourceDiagnostics = nameof(SourceDiagnostics);
    public const string SettingsFiles = nameof(SettingsFiles);
    public const string SettingsDiagnostics = nameof(SettingsDiagnostics);
    public const string SettingsParseErrors = nameof(SettingsParseErrors);
}
