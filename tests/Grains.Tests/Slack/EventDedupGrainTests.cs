using Dagen.Grains.Slack;
using Dagen.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Dagen.Grains.Tests.Slack;

[Collection(ClusterCollection.Name)]
public sealed class EventDedupGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private SlackMention Mention(string eventId, string user) => new()
    {
        EventId = eventId,
        ChannelId = Keys.New("ch"),
        TeamId = "T0TEST",
        UserId = user,
        SlackChannel = "C0GENERAL",
        Ts = "1764579600.000100",
        Text = "<@U0DAGEN> status",
        BotUserIds = ["U0DAGEN"],
        EventTime = fixture.Clock.GetUtcNow(),
    };

    private IEventDedupExpiryGrain Bucket(EventDedupRecord record) =>
        fixture.Client.GetGrain<IEventDedupExpiryGrain>(EventDedupExpiryKey.For(record.FirstSeenAt, record.EventId));

    private async Task<List<string>> RemindersOfAsync(IEventDedupGrain grain)
    {
        var reminders = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
        return [.. (await reminders.ReadRows(grain.GetGrainId())).Reminders.Select(r => r.ReminderName)];
    }

    private static string NewUser() => "U0" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    [Fact]
    public async Task TheFirstCopyIsHandedOnAndEveryOtherIsNot()
    {
        var eventId = SlackRequests.NewEventId();
        var mention = Mention(eventId, NewUser());
        var grain = fixture.Client.GetGrain<IEventDedupGrain>(eventId);

        var answers = new List<bool>();
        for (var copy = 0; copy < 4; copy++)
        {
            answers.Add(await grain.HandleOnceAsync(mention));
        }

        Assert.Equal([true, false, false, false], answers);
        var taken = Assert.Single(await fixture.Mentions.WaitForAsync(eventId));
        Assert.Equal(mention.SessionKey, taken.SessionKey);
        var record = await Eventually.Get(grain.GetRecordAsync, r => r?.HandedOn == true, Wait);
        Assert.NotNull(record);
        Assert.Equal(4, record.Copies);
        Assert.True(record.HandedOn);
    }

    [Fact]
    public async Task CopiesArrivingAtOnceAreHandedOnOnce()
    {
        var eventId = SlackRequests.NewEventId();
        var mention = Mention(eventId, NewUser());

        var answers = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => fixture.Client.GetGrain<IEventDedupGrain>(eventId).HandleOnceAsync(mention)));

        Assert.Single(answers, handled => handled);
        Assert.Single(await fixture.Mentions.WaitForAsync(eventId));
    }

    [Fact]
    public async Task ARetryThatIsTheFirstCopySeenIsHandedOn()
    {
        // The original went to a gateway that died before reaching the cluster; Slack's retry is all there is.
        var eventId = SlackRequests.NewEventId();

        var handled = await fixture.Client.GetGrain<IEventDedupGrain>(eventId)
            .HandleOnceAsync(Mention(eventId, NewUser()));

        Assert.True(handled);
        Assert.Single(await fixture.Mentions.WaitForAsync(eventId));
    }

    [Fact]
    public async Task ARecordOutlivesAnHourAndIsThenRemoved()
    {
        var eventId = SlackRequests.NewEventId();
        var grain = fixture.Client.GetGrain<IEventDedupGrain>(eventId);
        await grain.HandleOnceAsync(Mention(eventId, NewUser()));
        var first = await Eventually.Get(grain.GetRecordAsync, r => r?.HandedOn == true, Wait);
        Assert.NotNull(first);
        Assert.True(first.ExpiresAt - first.FirstSeenAt >= TimeSpan.FromHours(1));

        fixture.Clock.Advance(TimeSpan.FromMinutes(65));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(await grain.HandleOnceAsync(Mention(eventId, NewUser())));
        Assert.Equal(2, (await grain.GetRecordAsync())!.Copies);

        fixture.Clock.Advance(first.ExpiresAt - fixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        var removed = await Eventually.Get(grain.GetRecordAsync, r => r is null, Wait);
        Assert.Null(removed);
        Assert.Equal(0, await Bucket(first).CountAsync());
    }

    [Fact]
    public async Task EventsOfOneMinuteShareTheirBucketsReminderAndHaveNoneOfTheirOwn()
    {
        var eventIds = Enumerable.Range(0, 12).Select(_ => SlackRequests.NewEventId()).ToList();
        var records = new List<EventDedupRecord>();
        foreach (var eventId in eventIds)
        {
            var grain = fixture.Client.GetGrain<IEventDedupGrain>(eventId);
            await grain.HandleOnceAsync(Mention(eventId, NewUser()));
            records.Add((await Eventually.Get(grain.GetRecordAsync, r => r?.HandedOn == true, Wait))!);
        }

        var reminders = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
        foreach (var eventId in eventIds)
        {
            var grainId = fixture.Client.GetGrain<IEventDedupGrain>(eventId).GetGrainId();
            Assert.Empty((await reminders.ReadRows(grainId)).Reminders);
        }

        var buckets = records.Select(Bucket).DistinctBy(bucket => bucket.GetPrimaryKeyString()).ToList();
        Assert.InRange(buckets.Count, 1, EventDedupExpiryKey.Shards * 2);
        foreach (var bucket in buckets)
        {
            Assert.True(await bucket.CountAsync() >= 1);
            var names = (await reminders.ReadRows(bucket.GetGrainId())).Reminders.Select(r => r.ReminderName);
            Assert.Equal([EventDedupExpiryGrain.ReminderName], names);
        }
    }

    [Fact]
    public async Task AFailedHandOffIsTriedAgainAndTheEventStaysClaimed()
    {
        var eventId = SlackRequests.NewEventId();
        var mention = Mention(eventId, NewUser());
        fixture.Mentions.FailNext(mention.SessionKey, 1);
        var grain = fixture.Client.GetGrain<IEventDedupGrain>(eventId);

        Assert.True(await grain.HandleOnceAsync(mention));
        var afterFailure = await Eventually.Get(grain.GetRecordAsync, r => r?.HandOffAttempts >= 1, Wait);
        Assert.Equal(1, afterFailure!.HandOffAttempts);
        Assert.False(afterFailure.HandedOn);
        Assert.Empty(fixture.Mentions.TakenFor(eventId));
        Assert.False(await grain.HandleOnceAsync(mention));
        Assert.Equal([EventDedupGrain.FollowUpReminder], await RemindersOfAsync(grain));

        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        var handedOn = await Eventually.Get(grain.GetRecordAsync, r => r?.HandedOn == true, Wait);

        Assert.Equal(2, handedOn!.HandOffAttempts);
        Assert.Single(fixture.Mentions.TakenFor(eventId));
        Assert.Empty(await Eventually.Get(() => RemindersOfAsync(grain), names => names.Count == 0, Wait));
    }

    [Fact]
    public async Task TheRecordIsReadBackAfterTheGrainIsDeactivated()
    {
        var eventId = SlackRequests.NewEventId();
        var mention = Mention(eventId, NewUser());
        var grain = fixture.Client.GetGrain<IEventDedupGrain>(eventId);
        await grain.HandleOnceAsync(mention);
        await Eventually.Get(grain.GetRecordAsync, r => r?.HandedOn == true, Wait);

        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.False(await grain.HandleOnceAsync(mention));
        Assert.Equal(2, (await grain.GetRecordAsync())!.Copies);
        Assert.Single(fixture.Mentions.TakenFor(eventId));
    }

    [Fact]
    public async Task AMentionOfAnotherEventIsRefused()
    {
        var grain = fixture.Client.GetGrain<IEventDedupGrain>(SlackRequests.NewEventId());

        await Assert.ThrowsAsync<ArgumentException>(
            () => grain.HandleOnceAsync(Mention(SlackRequests.NewEventId(), NewUser())));
        Assert.Null(await grain.GetRecordAsync());
    }
}
