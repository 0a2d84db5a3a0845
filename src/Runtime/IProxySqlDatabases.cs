using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ProxySql;

/// <summary>
/// Implemented by the source generator on every <see cref="ProxySqlDatabasesAttribute"/> class, so that
/// generic code (<c>AddProxySqlDatabases&lt;T&gt;</c>) can create it without reflection.
/// </summary>
/// <typeparam name="TSelf">The generated class.</typeparam>
public interface IProxySqlDatabases<TSelf>
    where TSelf : ProxySqlDatabases, IProxySqlDatabases<TSelf>
{
    /// <summary>
    /// The configuration section named in <see cref="ProxySqlDatabasesAttribute"/>; hosting reads its <c>Hosting</c> switches
    /// from there. Generated classes may answer it without reflection; this default reads the attribute.
    /// </summary>
    static virtual string SectionName => SectionOf(typeof(TSelf));

    /// <summary>Binds the peers from <paramref name="configuration"/> and starts the balancer.</summary>
    /// <param name="configuration">The root configuration (the section name comes from the attribute).</param>
    /// <param name="loggerFactory">Where the balancer logs; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ProxySqlConfigurationException">The configuration is invalid; the message names the path.</exception>
    static abstract TSelf Create(IConfiguration configuration, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null);

    private static string SectionOf([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.None)] Type type) =>
        type.GetCustomAttribute<ProxySqlDatabasesAttribute>(inherit: false)?.SectionName
        ?? throw new InvalidOperationException($"{type.FullName} has no [ProxySqlDatabases] attribute naming its configuration section.");
}
