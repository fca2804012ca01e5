using System.Text.Json;

namespace Bridge.Functions.Tests;

[Collection(FunctionsCollection.Name)]
public sealed class GetMessageFunctionTests(FunctionsFixture fixture)
{
    private Task<string> Send(string key, string from = "orders@shop.example") => fixture.AcceptAsync(Messages.Valid(from: from), key);

    private async Task<(int Status, JsonElement Body)> Get(string? key, string id)
    {
        var context = fixture.NewContext(key);
        var (status, body, _) = await FunctionsFixture.ExecuteAsync(
            await fixture.Function<GetMessageFunction>().Run(context.Request, id, CancellationToken.None), context);
        return (status, body);
    }

    [Fact]
    public async Task Sender_reads_its_message_with_the_accepted_event()
    {
        var id = await Send(FunctionsFixture.SenderKey);

        var (status, body) = await Get(FunctionsFixture.SenderKey, id);

        Assert.Equal(200, status);
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.Equal("orders@shop.example", body.GetProperty("from").GetString());
        Assert.Equal(["ann@example.org", "\"Bo\" <bo@example.org>"], body.GetProperty("to").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("default", body.GetProperty("profile").GetString());
        Assert.Equal(["orders"], body.GetProperty("tags").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("accepted", Assert.Single(body.GetProperty("events").EnumerateArray()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Another_keys_message_is_404_but_admin_sees_it()
    {
        var id = await Send(FunctionsFixture.OtherKey);

        Assert.Equal(404, (await Get(FunctionsFixture.SenderKey, id)).Status);
        Assert.Equal(200, (await Get(FunctionsFixture.AdminKey, id)).Status);
    }

    [Theory]
    [InlineData("0193b0c4a1b27c3d8e9f001122334455")]
    [InlineData("../../etc")]
    [InlineData("x' or PartitionKey ne '")]
    public async Task Unknown_or_malformed_ids_are_404(string id) =>
        Assert.Equal(404, (await Get(FunctionsFixture.SenderKey, id)).Status);

    [Fact]
    public async Task No_key_is_401() => Assert.Equal(401, (await Get(null, "0193b0c4a1b27c3d8e9f001122334455")).Status);
}
