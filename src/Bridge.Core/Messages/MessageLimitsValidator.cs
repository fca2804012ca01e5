using Bridge.Core.Events;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Messages;

/// <summary>Names a limit that cannot work at start, rather than letting the first large message find out.</summary>
public sealed class MessageLimitsValidator : IValidateOptions<MessageLimits>
{
    /// <summary>
    /// A delivery outcome is one table transaction: the state row, a <c>rejected</c> event per refused
    /// recipient, and the outcome's own events (at most two). A transaction holds at most 100 entities.
    /// </summary>
    public const int MostRecipients = MessageStore.MaxEntitiesPerTransaction - 3;

    /// <summary>
    /// The metadata is one string property of the message's row (Table storage holds at most 64 KiB, 32,768 UTF-16 characters,
    /// in one), and every callback body carries it again, on a queue message of at most 64 KiB when a retry is queued.
    /// </summary>
    public const int MostMetadataLength = 16_000;

    public ValidateOptionsResult Validate(string? name, MessageLimits options)
    {
        var failures = new List<string>();
        if (options.MaxRecipients is < 1 or > MostRecipients)
        {
            failures.Add($"{MessageLimits.SectionName}:MaxRecipients must be 1 to {MostRecipients}: a delivery's outcome, with one event per refused recipient, is written in one table transaction of at most {MessageStore.MaxEntitiesPerTransaction} rows.");
        }

        if (options.MaxRequestBytes < 1 || options.MaxRequestBytes > int.MaxValue)
        {
            failures.Add($"{MessageLimits.SectionName}:MaxRequestBytes must be 1 to {int.MaxValue} (a body is read into one array).");
        }

        if (options.MaxAttachmentBytes < 1)
        {
            failures.Add($"{MessageLimits.SectionName}:MaxAttachmentBytes must be at least 1.");
        }

        if (options.MaxUploadBytes < options.MaxAttachmentBytes)
        {
            failures.Add($"{MessageLimits.SectionName}:MaxUploadBytes must be at least MaxAttachmentBytes ({options.MaxAttachmentBytes}): a multipart body holds its file parts whole.");
        }

        if (options.MaxMetadataLength is < 2 or > MostMetadataLength)
        {
            failures.Add($"{MessageLimits.SectionName}:MaxMetadataLength must be 2 to {MostMetadataLength}: the metadata is stored in one table property (at most 64 KiB) and carried by every callback.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
