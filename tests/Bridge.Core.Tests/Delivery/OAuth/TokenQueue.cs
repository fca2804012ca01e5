using System.Collections.Concurrent;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>
/// The access tokens a fake identity provider hands out: the ones a test set with <see cref="Issue"/>,
/// in order, the last one repeating (or fresh random ones when none were set), and which flow asked.
/// </summary>
internal sealed class TokenQueue(string prefix)
{
    private readonly ConcurrentQueue<string> requests = new();
    private readonly object gate = new();
    private List<string> tokens = [];
    private int issued;

    /// <summary>Token requests answered with a token, in order, by flow.</summary>
    public IReadOnlyList<string> Requests => requests.ToList();

    public void Issue(params string[] next)
    {
        lock (gate)
        {
            tokens = [.. next];
            issued = 0;
        }
    }

    /// <summary>Fresh random tokens again, and no requests recorded.</summary>
    public void Reset()
    {
        requests.Clear();
        Issue();
    }

    public string Next(string flow)
    {
        requests.Enqueue(flow);
        lock (gate)
        {
            if (tokens.Count == 0)
            {
                return $"{prefix}-{++issued}-{Guid.NewGuid():N}";
            }

            return tokens[Math.Min(issued++, tokens.Count - 1)];
        }
    }
}
