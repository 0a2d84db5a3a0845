namespace ProxySql.Generator.Tests.Diagnostics;

/// <summary>A valid class whose section the JSON diagnostic tests configure.</summary>
internal static class SettingsInput
{
    public const string Source = """
        using ProxySql;
        [ProxySqlDatabases("Databases:ProxySql")]
        public partial class AppDatabases
        {
            public partial ProxySqlPeer Edge1 { get; }
            [Peer("proxysql-b")] public partial ProxySqlPeer Edge2 { get; }
        }
        """;
}
