using Bridge.Core.Auth;
using Bridge.Core.Events;
using Bridge.Core.Messages;
using Bridge.Core.Storage;
using Bridge.Core.Visibility;
using Bridge.Testing;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Tests.Visibility;

/// <summary>
/// Paging over the message index (Azurite) with a tiny request budget, so pages run out of budget with a few
/// dozen rows: a short page and its cursor must still list each message once, newest first, across keys.
/// </summary>
public sealed class MessageListingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Newest = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private Azurite azurite = null!;
    private MessageIndex index = null!;
    private MessageListing listing = null!;
    private readonly List<(string Id, string Owner, DateTimeOffset At, string Tag)> seeded = [];

    public async Task InitializeAsync()
    {
        azurite = await Azurite.StartAsync();
        var storage = azurite.Clients();
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.MessageIndexTable);
        index = new MessageIndex(storage);
        var keys = new ApiKeyOptions { ["alpha"] = new(), ["beta"] = new() };
        listing = new MessageListing(index, Options.Create(keys), TimeProvider.System) { Budget = (RowsPerRequest: 3, MaxRequests: 2) };

        // alpha and beta interleave in time; one message in five is tagged "rare", more of them in beta.
        for (var i = 0; i < 60; i++)
        {
            var owner = i % 3 == 0 ? "alpha" : "beta";
            var tag = i % 5 == 0 ? "rare" : "common";
            seeded.Add((MessageId.New(), owner, Newest.AddSeconds(-i), tag));
        }

        await Parallel.ForEachAsync(seeded, async (m, cancellationToken) => await index.AddAsync(new MessageRecord
        {
            Owner = m.Owner, CreatedAt = m.At, From = "orders@shop.example", To = ["ann@example.org"], Subject = "s",
            Profile = "default", Tags = [m.Tag], State = DeliveryState.Accepted(m.Id, m.At, m.Owner),
        }, cancellationToken));
    }

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task A_filtered_admin_list_that_runs_out_of_budget_still_lists_each_message_once_newest_first()
    {
        var admin = new ApiCaller("ops", new HashSet<string> { ApiScope.Admin }, [], []);

        var (ids, pages) = await ListAllAsync(admin, new MessageQuery { Tag = "rare", Limit = 4 });

        Assert.Equal(seeded.Where(m => m.Tag == "rare").OrderByDescending(m => m.At).Select(m => m.Id), ids);
        Assert.Contains(pages, p => p.Items.Count < 4 && p.Next is not null);
        Assert.All(pages, p => Assert.True(p.Requests <= 2 * 3, $"{p.Requests} requests for one page of two partitions"));
    }

    [Fact]
    public async Task A_key_lists_only_its_own_messages_in_a_time_window()
    {
        var alpha = new ApiCaller("alpha", new HashSet<string> { ApiScope.Read }, [], []);
        var (since, until) = (Newest.AddSeconds(-40), Newest.AddSeconds(-10));

        var (ids, _) = await ListAllAsync(alpha, new MessageQuery { Since = since, Until = until, Limit = 3 });

        Assert.Equal(
            seeded.Where(m => m.Owner == "alpha" && m.At >= since && m.At < until).OrderByDescending(m => m.At).Select(m => m.Id),
            ids);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("MXw")]
    public void Cursors_this_API_did_not_make_are_refused(string cursor) => Assert.Null(MessageQuery.DecodeCursor(cursor));

    [Fact]
    public void A_cursor_resumes_just_after_its_row()
    {
        var key = MessageIndex.RowKey(Newest, MessageId.New());

        var start = MessageQuery.DecodeCursor(MessageQuery.EncodeCursor(key));

        Assert.True(string.CompareOrdinal(start, key) > 0);
        Assert.True(string.CompareOrdinal(start, MessageIndex.RowKey(Newest.AddTicks(-1), "00000000000000000000000000000000")) < 0);
    }

    private async Task<(List<string> Ids, List<MessagePage> Pages)> ListAllAsync(ApiCaller caller, MessageQuery query)
    {
        var (ids, pages) = (new List<string>(), new List<MessagePage>());
        for (var i = 0; i < 100; i++)
        {
            var page = await listing.ListAsync(caller, query, CancellationToken.None);
            pages.Add(page);
            ids.AddRange(page.Items.Select(e => e.Id));
            if (page.Next is null)
            {
                return (ids, pages);
            }

            query = query with { Start = MessageQuery.DecodeCursor(page.Next)! };
        }

        throw new InvalidOperationException("The list did not end within 100 pages.");
    }
}
