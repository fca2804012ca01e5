using MimeKit;

namespace Bridge.Core.Outbox;

/// <summary>
/// A message ready to send. A large one is parsed in place from a temporary file (its parts stay on
/// disk), which is deleted when this is disposed.
/// </summary>
public sealed class LoadedMessage(MimeMessage message, Stream? backing) : IAsyncDisposable
{
    public MimeMessage Message { get; } = message;

    public async ValueTask DisposeAsync()
    {
        Message.Dispose();
        if (backing is not null)
        {
            await backing.DisposeAsync().ConfigureAwait(false);
        }
    }
}
