using Dagen.Grains.Agents;
using Dagen.Grains.Dagen;
using Dagen.Grains.Slack;
using Dagen.Grains.Workflows;
using Microsoft.Extensions.Logging;

namespace Dagen.Grains.Sessions;

/// <summary>The commands: what the bot does for each kind of mention.</summary>
internal sealed partial class SlackUserSessionGrain
{
    private Task AnswerCommandAsync(BotCommand command, SlackMention mention, SlackThreadRef thread) => command switch
    {
        BotCommand.Help => PostAsync(thread, BotMessages.Help),
        BotCommand.ListWorkflows => ListWorkflowsAsync(thread),
        BotCommand.Status => ShowStatusAsync(thread),
        BotCommand.Reset => ResetConversationAsync(thread),
        BotCommand.Run run => RunWorkflowAsync(run.Workflow, mention, thread),
        BotCommand.AskAgent ask => AskSubAgentAsync(ask, mention, thread),
        BotCommand.Usage { Command: UsageOf.Run } => PostAsync(thread, BotMessages.RunUsage),
        BotCommand.Usage usage => PostAsync(thread, BotMessages.AgentUsage(usage.Agent)),
        BotCommand.AskSuperAgent ask => AskSuperAgentAsync(ask.Question, mention, thread),
        _ => throw new InvalidOperationException($"No answer is defined for {command.GetType().Name}."),
    };

    private async Task ListWorkflowsAsync(SlackThreadRef thread)
    {
        var workflows = await CallDagenAsync(dagen.ListWorkflowsAsync, "list the workflows", thread);
        if (workflows is not null)
        {
            await PostAsync(thread, BotMessages.ActiveWorkflows(workflows));
        }
    }

    private async Task ShowStatusAsync(SlackThreadRef thread)
    {
        var count = sessionOptions.Value.StatusRunCount;
        var runs = await CallDagenAsync(ct => dagen.ListRunsAsync(count, ct), "read the recent runs", thread);
        if (runs is not null)
        {
            await PostAsync(thread, BotMessages.RecentRuns(runs, clock.GetUtcNow()));
        }
    }

    private async Task ResetConversationAsync(SlackThreadRef thread)
    {
        await ResetAsync();
        await PostAsync(thread, BotMessages.ResetDone);
    }

    private async Task RunWorkflowAsync(string query, SlackMention mention, SlackThreadRef thread)
    {
        var workflows = await CallDagenAsync(dagen.ListWorkflowsAsync, "look up the workflows", thread);
        if (workflows is null)
        {
            return;
        }

        var match = WorkflowMatcher.Match(workflows, query);
        if (match.Single is not { } workflow)
        {
            await PostAsync(thread, match.Candidates.Count == 0
                ? BotMessages.NoMatch(query)
                : BotMessages.WhichOne(query, match.Candidates));
            return;
        }

        var shownName = string.IsNullOrWhiteSpace(workflow.Slug) ? workflow.Name : workflow.Slug;
        await PostAsync(thread, RunMessages.Starting(shownName));

        var trigger = new RunTrigger(mention.TeamId, mention.UserId, mention.SlackChannel, thread.ThreadTs);
        var outcome = await CallDagenAsync(
            ct => dagen.TriggerRunAsync(workflow.Id, trigger, ct),
            $"start workflow \"{MrkdwnText.Escape(workflow.Name)}\"",
            thread);
        if (outcome is null)
        {
            return;
        }

        if (!outcome.Started)
        {
            LogTriggerRefused(SessionKey, workflow.Id, outcome.RefusedBecause);
            await PostAsync(thread, RunMessages.Refused(workflow.Name, outcome.RefusedBecause));
            return;
        }

        var runId = outcome.RunId!;
        LogTriggered(SessionKey, workflow.Id, runId);
        await PostAsync(thread, RunMessages.Triggered(workflow.Name, runId));
        await WatchRunAsync(runId, workflow, mention, thread);
    }

    private async Task WatchRunAsync(string runId, DagenWorkflow workflow, SlackMention mention, SlackThreadRef thread)
    {
        var watch = new RunWatch
        {
            RunId = runId,
            WorkflowId = workflow.Id,
            WorkflowName = workflow.Name,
            ChannelId = mention.ChannelId,
            TeamId = mention.TeamId,
            SlackChannel = mention.SlackChannel,
            ThreadTs = thread.ThreadTs,
            UserId = mention.UserId,
        };
        try
        {
            await GrainFactory.GetGrain<IWorkflowRunGrain>(runId).WatchAsync(watch);
        }
        catch (Exception exception)
        {
            LogWatchFailed(SessionKey, runId, exception);
            await PostAsync(thread, "I started the run but cannot follow it, so I won't be able to tell you when it "
                + "completes. Check it in Dagen.");
        }
    }

    private async Task AskSuperAgentAsync(string question, SlackMention mention, SlackThreadRef thread)
    {
        await PostAsync(thread, BotMessages.OnIt);

        var generation = state.State.Generation;
        var request = new AgentRequest(
            agentOptions.Value.SuperAgentModel, state.State.History.ToList(), question, mention.SessionKey);
        var answer = await AskAgentAsync(request, "the Super Agent", thread);
        if (answer is null)
        {
            return;
        }

        // A reset while the agent was thinking starts a new conversation: this exchange is not part of it.
        if (state.State.Generation == generation)
        {
            var now = clock.GetUtcNow();
            ConversationHistory.Append(
                state.State.History,
                new ConversationTurn(ConversationRole.User, question, now),
                new ConversationTurn(ConversationRole.Assistant, answer, now),
                sessionOptions.Value);
            await WriteAsync();
        }

        await PostAsync(thread, MrkdwnConverter.FromMarkdown(answer));
    }

    private async Task AskSubAgentAsync(BotCommand.AskAgent ask, SlackMention mention, SlackThreadRef thread)
    {
        var model = ask.Agent;
        var known = await ListAgentsAsync();
        if (known is not null)
        {
            var found = known.FirstOrDefault(a => string.Equals(a, ask.Agent, StringComparison.OrdinalIgnoreCase));
            if (found is null)
            {
                await PostAsync(thread, BotMessages.UnknownAgent(ask.Agent, known));
                return;
            }

            model = found;
        }

        await PostAsync(thread, BotMessages.OnIt);

        var request = new AgentRequest(model, [], ask.Question, mention.SessionKey);
        var answer = await AskAgentAsync(request, $"agent `{MrkdwnText.Escape(model)}`", thread);
        if (answer is not null)
        {
            await PostAsync(thread, MrkdwnConverter.FromMarkdown(answer));
        }
    }

    /// <summary>The agents Dagen lists, or null when there is no list (then the name is tried as given).</summary>
    private async Task<IReadOnlyList<string>?> ListAgentsAsync()
    {
        using var deadline = new CancellationTokenSource(agentOptions.Value.Timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _deactivating.Token);
        try
        {
            return await agents.ListAgentsAsync(either.Token);
        }
        catch (Exception exception) when (!_deactivating.IsCancellationRequested
            && exception is AgentException or OperationCanceledException)
        {
            LogAgentListUnavailable(SessionKey, exception.Message);
            return null;
        }
    }

    /// <summary>Asks an agent within <c>Agents:Timeout</c>; on failure says why in the thread, returns null.</summary>
    private async Task<string?> AskAgentAsync(AgentRequest request, string who, SlackThreadRef thread)
    {
        var timeout = agentOptions.Value.Timeout;
        using var deadline = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _deactivating.Token);
        string reason;
        try
        {
            var answer = await agents.AskAsync(request, either.Token);
            LogAgentAnswered(SessionKey, request.Model, answer.Length);
            return answer;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            reason = $"no answer within {RunMessages.Duration(timeout)}";
        }
        catch (OperationCanceledException) when (!_deactivating.IsCancellationRequested)
        {
            reason = "it did not answer in time";
        }
        catch (AgentException exception)
        {
            reason = exception.Message;
        }

        LogAgentFailed(SessionKey, request.Model, reason);
        await PostAsync(thread, BotMessages.AgentFailed(who, reason));
        return null;
    }

    /// <summary>Calls Dagen; when it cannot be reached, says so in the thread and returns null.</summary>
    private async Task<T?> CallDagenAsync<T>(
        Func<CancellationToken, Task<T>> call, string action, SlackThreadRef thread)
        where T : class
    {
        string reason;
        try
        {
            return await call(_deactivating.Token);
        }
        catch (DagenUnavailableException exception)
        {
            reason = exception.Message;
        }
        catch (Exception exception) when (!_deactivating.IsCancellationRequested
            && exception is HttpRequestException or TimeoutException or OperationCanceledException)
        {
            reason = "Dagen did not answer.";
        }

        LogDagenUnavailable(SessionKey, action, reason);
        await PostAsync(thread, BotMessages.DagenDown(action, reason));
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Session {SessionKey}: workflow {WorkflowId} triggered, run {RunId}")]
    private partial void LogTriggered(string sessionKey, string workflowId, string runId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Session {SessionKey}: Dagen refused to start workflow {WorkflowId}: {Reason}")]
    private partial void LogTriggerRefused(string sessionKey, string workflowId, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {SessionKey}: run {RunId} could not be watched")]
    private partial void LogWatchFailed(string sessionKey, string runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionKey}: could not {Action}: {Reason}")]
    private partial void LogDagenUnavailable(string sessionKey, string action, string reason);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Session {SessionKey}: agent {Model} answered ({Length} characters)")]
    private partial void LogAgentAnswered(string sessionKey, string model, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionKey}: agent {Model} did not answer: {Reason}")]
    private partial void LogAgentFailed(string sessionKey, string model, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Session {SessionKey}: the list of agents is unavailable: {Reason}")]
    private partial void LogAgentListUnavailable(string sessionKey, string reason);
}
