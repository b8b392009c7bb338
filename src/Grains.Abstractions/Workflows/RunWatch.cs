namespace Dagen.Grains.Workflows;

/// <summary>Where a triggered run came from and where its outcome is to be posted.</summary>
[GenerateSerializer, Immutable, Alias("dagen.workflows.run-watch")]
public sealed record RunWatch
{
    [Id(0)] public required string RunId { get; init; }

    [Id(1)] public required string WorkflowId { get; init; }

    [Id(2)] public required string WorkflowName { get; init; }

    /// <summary>The notification channel whose bot token posts the follow-up.</summary>
    [Id(3)] public required string ChannelId { get; init; }

    [Id(4)] public required string TeamId { get; init; }

    [Id(5)] public required string SlackChannel { get; init; }

    /// <summary>The thread the follow-up goes into.</summary>
    [Id(6)] public required string ThreadTs { get; init; }

    [Id(7)] public string? UserId { get; init; }
}

/// <summary>A run's outcome as Dagen reports it.</summary>
[GenerateSerializer, Immutable, Alias("dagen.workflows.run-completion")]
public sealed record RunCompletion
{
    /// <summary><c>success</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    [Id(0)] public required string Status { get; init; }

    [Id(1)] public DateTimeOffset? StartedAt { get; init; }

    [Id(2)] public DateTimeOffset? FinishedAt { get; init; }

    [Id(3)] public string? Error { get; init; }
}

/// <summary>What a run's grain knows: the last status seen and whether the outcome was posted.</summary>
[GenerateSerializer, Immutable, Alias("dagen.workflows.run-watch-status")]
public sealed record RunWatchStatus
{
    [Id(0)] public required RunWatch Watch { get; init; }

    /// <summary>The last status read from Dagen: queued, running, success, failed or cancelled.</summary>
    [Id(1)] public required string LastStatus { get; init; }

    /// <summary>True once the follow-up was posted (or the grain gave up and said so).</summary>
    [Id(2)] public bool Reported { get; init; }

    [Id(3)] public DateTimeOffset WatchingSince { get; init; }

    [Id(4)] public string? LastProblem { get; init; }
}
