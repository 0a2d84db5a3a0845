namespace ProxySql.HostingTests;

/// <summary>Polls an asynchronous observation until it satisfies a condition, or fails with the last one described.</summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> observe, Func<T, bool> done, TimeSpan timeout, Func<T, string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await observe();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not reached within {timeout.TotalSeconds} s; last seen: {describe(value)}");
            await Task.Delay(50);
        }
    }
}
