using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Pomelo.EntityFrameworkCore.MySql.Storage.Internal;

namespace ProxySql.EntityFrameworkCore;

/// <summary>
/// Pomelo's connection-string check, skipped for the connection the balancer just opened: UseProxySql already made every
/// peer's connection string carry Pomelo's options, and re-parsing the connection string on every open costs time.
/// </summary>
[SuppressMessage("Usage", "EF1001:Internal EF Core API usage.", Justification = "Pomelo's validator is what its connection service takes; Pomelo is pinned to 9.0.0.")]
internal sealed class SwapAwareOptionsValidator(IMySqlConnectionStringOptionsValidator inner) : IMySqlConnectionStringOptionsValidator
{
    public IMySqlConnectionStringOptionsValidator Inner { get; } = inner is SwapAwareOptionsValidator wrapped ? wrapped.Inner : inner;

    /// <summary>Set while <see cref="ProxySqlRelationalConnection"/> swaps in a balancer connection.</summary>
    public bool Swapping { get; set; }

    public bool EnsureMandatoryOptions(ref string connectionString) => Inner.EnsureMandatoryOptions(ref connectionString);

    public bool EnsureMandatoryOptions(DbConnection connection) => !Swapping && Inner.EnsureMandatoryOptions(connection);

    public bool EnsureMandatoryOptions(DbDataSource dataSource) => Inner.EnsureMandatoryOptions(dataSource);

    public void ThrowException(Exception? innerException = null) => Inner.ThrowException(innerException);
}
