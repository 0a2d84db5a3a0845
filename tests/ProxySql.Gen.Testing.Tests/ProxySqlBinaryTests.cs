namespace ProxySql.Testing.Tests;

/// <summary>Where the fixture looks for proxysql and what it says when there is none; needs no binary.</summary>
public sealed class ProxySqlBinaryTests
{
    [Fact]
    public async Task A_missing_binary_fails_with_one_message_naming_the_path()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-proxysql-" + Guid.NewGuid().ToString("N"));

        ProxySqlStartException error = await Assert.ThrowsAsync<ProxySqlStartException>(
            async () => await ProxySqlNode.StartAsync(await SharedMariaDb.GetAsync(), new ProxySqlNodeOptions { BinaryPath = missing }));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains(ProxySqlBinary.Variable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_binary_from_the_environment_names_the_variable_and_the_default()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-proxysql-" + Guid.NewGuid().ToString("N"));

        ProxySqlStartException error = Assert.Throws<ProxySqlStartException>(() => ProxySqlBinary.Require(explicitPath: null, fromEnvironment: missing));

        Assert.Contains($"{ProxySqlBinary.Variable}='{missing}' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains(ProxySqlBinary.DefaultPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_binary_path_is_shared_proxysql_next_to_the_repository_root()
    {
        string? root = ProxySqlBinary.FindRepositoryRoot();

        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, "ProxySql.Gen.sln")));
        Assert.Equal(Path.GetFullPath(Path.Combine(root, "..", "shared", "proxysql", "proxysql")), ProxySqlBinary.DefaultPath);
    }
}
