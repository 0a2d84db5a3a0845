namespace ProxySql.Core;

/// <summary>The failed attempts of one open, to decide what the caller gets when no peer served.</summary>
internal struct OpenFailures
{
    public int Count { get; private set; }

    public int ConfigurationCount { get; private set; }

    public Exception? FirstConfigurationError { get; private set; }

    public Exception? LastError { get; private set; }

    /// <summary>Every failure was a configuration error (1044/1045/1049): the caller gets that error itself.</summary>
    public readonly bool AllConfiguration => Count > 0 && ConfigurationCount == Count;

    public void Add(in AttemptOutcome outcome)
    {
        if (outcome.Succeeded || outcome.Kind == FailureKind.Cancelled)
            return;
        Count++;
        LastError = outcome.Error;
        if (outcome.Kind == FailureKind.Configuration)
        {
            ConfigurationCount++;
            FirstConfigurationError ??= outcome.Error;
        }
    }
}
