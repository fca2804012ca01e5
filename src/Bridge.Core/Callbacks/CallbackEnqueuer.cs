using Bridge.Core.Auth;
using Bridge.Core.Events;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Callbacks;

/// <summary>
/// Hears every committed timeline change (<see cref="ITimelineObserver"/>) and queues a callback for each carried event
/// of a message whose key has a callback URL. Keys without one cost nothing: no queue write.
/// </summary>
public sealed class CallbackEnqueuer(CallbackQueue queue, IOptionsMonitor<ApiKeyOptions> keys) : ITimelineObserver
{
    public async Task RecordedAsync(DeliveryState state, IReadOnlyList<MessageEvent> events, CancellationToken cancellationToken)
    {
        if (state.Owner is not { } owner || !keys.CurrentValue.TryGetValue(owner, out var key) || string.IsNullOrEmpty(key.CallbackUrl))
        {
            return;
        }

        // The state's count already includes these events: the first of them took the number before it.
        var first = state.EventCount - events.Count;
        for (var i = 0; i < events.Count; i++)
        {
            if (CallbackEvents.IsCarried(events[i].Type))
            {
                await queue.SendAsync(CallbackItem.For(state, events[i], first + i, owner), TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
