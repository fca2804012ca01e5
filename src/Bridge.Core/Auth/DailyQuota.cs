using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Bridge.Core.Storage;

namespace Bridge.Core.Auth;

/// <summary>
/// Messages per UTC day per API key, shared by every instance through one counter row per key and
/// day. Each instance reserves a small block of the allowance at a time with an ETag-guarded
/// increment, so the cap is never exceeded and most messages cost no storage operation. An
/// instance that stops with part of a block unused leaves that part unsent: the error is on the safe side.
/// </summary>
public sealed class DailyQuota(StorageClients storage, TimeProvider time)
{
    private const int MaxBlock = 20;

    private readonly TableClient table = storage.Tables.GetTableClient(StorageNames.QuotasTable);
    private readonly ConcurrentDictionary<string, Reservation> reservations = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when the message may be sent; otherwise the time until the allowance renews.</summary>
    public async Task<TimeSpan?> TryConsumeAsync(ApiCaller caller, CancellationToken cancellationToken)
    {
        var (granted, renewsIn) = await ConsumeUpToAsync(caller, 1, cancellationToken).ConfigureAwait(false);
        return granted == 1 ? null : renewsIn;
    }

    /// <summary>
    /// Takes up to <paramref name="wanted"/> messages of today's allowance at once (a batch counts each message) and
    /// says how many it got, with the time until the allowance renews for those it did not. A batch reserves what it
    /// needs with one counter write, not one per block.
    /// </summary>
    public async Task<(int Granted, TimeSpan RenewsIn)> ConsumeUpToAsync(ApiCaller caller, int wanted, CancellationToken cancellationToken)
    {
        if (caller.MessagesPerDay <= 0)
        {
            return (wanted, TimeSpan.Zero);
        }

        var now = time.GetUtcNow();
        var day = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var reservation = reservations.GetOrAdd(caller.KeyName, _ => new Reservation());
        await reservation.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (reservation.Day != day)
            {
                (reservation.Day, reservation.Left) = (day, 0);
            }

            if (reservation.Left < wanted)
            {
                reservation.Left += await ReserveAsync(caller, day, wanted - reservation.Left, cancellationToken).ConfigureAwait(false);
            }

            var granted = Math.Min(wanted, reservation.Left);
            reservation.Left -= granted;
            return (granted, now.UtcDateTime.Date.AddDays(1) - now.UtcDateTime);
        }
        finally
        {
            reservation.Gate.Release();
        }
    }

    private async Task<int> ReserveAsync(ApiCaller caller, string day, int needed, CancellationToken cancellationToken)
    {
        var block = Math.Max(needed, Math.Clamp(caller.MessagesPerDay / 100, 1, MaxBlock));
        while (true)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(caller.KeyName, day, cancellationToken: cancellationToken).ConfigureAwait(false);
            var used = existing.HasValue ? existing.Value!.GetInt32("Used") ?? 0 : 0;
            var granted = Math.Min(block, caller.MessagesPerDay - used);
            if (granted <= 0)
            {
                return 0;
            }

            var entity = new TableEntity(caller.KeyName, day) { ["Used"] = used + granted };
            try
            {
                if (existing.HasValue)
                {
                    await table.UpdateEntityAsync(entity, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }

                return granted;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another instance reserved at the same moment: read the counter again.
            }
        }
    }

    private sealed class Reservation
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public string Day { get; set; } = "";
        public int Left { get; set; }
    }
}
