namespace Bridge.Core.Doctor;

/// <summary>
/// A step's time limit on the injected <see cref="TimeProvider"/>, linked to the caller's token, that
/// can tell "the server took too long" (a finding) from "the caller gave up" (not one).
/// </summary>
internal sealed class StepDeadline : IDisposable
{
    private readonly CancellationTokenSource timer;
    private readonly CancellationTokenSource linked;
    private readonly CancellationToken caller;

    public StepDeadline(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        caller = cancellationToken;
        timer = new CancellationTokenSource(timeout, time);
        linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
    }

    public CancellationToken Token => linked.Token;

    /// <summary>The limit passed while the caller still wanted the answer.</summary>
    public bool TimedOut => timer.IsCancellationRequested && !caller.IsCancellationRequested;

    public void Dispose()
    {
        linked.Dispose();
        timer.Dispose();
    }
}
