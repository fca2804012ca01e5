namespace Bridge.Core.Storage;

/// <summary>The fixed names of the tables and containers Bridge keeps its state in.</summary>
public static class StorageNames
{
    public const string ConnectionName = "AzureWebJobsStorage";
    public const string MessagesTable = "messages";
    public const string MessageIndexTable = "messageindex";
    public const string IdempotencyTable = "idempotency";
    public const string QuotasTable = "quotas";
    public const string SuppressionsTable = "suppressions";
    public const string PayloadContainer = "outbound-payloads";

    /// <summary>Events waiting to be POSTed to a key's callback URL; fixed, as the trigger binds it by name.</summary>
    public const string CallbacksQueue = "callbacks";
}
