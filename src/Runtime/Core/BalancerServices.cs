using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace ProxySql.Core;

/// <summary>What a balancer is built with besides its settings.</summary>
/// <param name="LoggerFactory">Where to log; nothing is logged when <see langword="null"/>.</param>
/// <param name="Time">The clock.</param>
/// <param name="Connector">The I/O on peers.</param>
/// <param name="Random">The random source for selection and jitter.</param>
/// <param name="ConfigureDataSource">Called with the peer's name for every data source built for that peer.</param>
/// <param name="MeterFactory">Where the meter comes from; a meter of its own when <see langword="null"/>.</param>
internal sealed record BalancerServices(
    ILoggerFactory? LoggerFactory,
    TimeProvider Time,
    IPeerConnector Connector,
    Random Random,
    Action<string, MySqlDataSourceBuilder>? ConfigureDataSource,
    System.Diagnostics.Metrics.IMeterFactory? MeterFactory = null);
