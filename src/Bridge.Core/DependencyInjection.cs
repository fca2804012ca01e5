using Bridge.Core.Auth;
using Bridge.Core.Callbacks;
using Bridge.Core.Compat;
using Bridge.Core.Compat.Postmark;
using Bridge.Core.Compat.SendGrid;
using Bridge.Core.Bounces;
using Bridge.Core.Deliverability;
using Bridge.Core.Delivery;
using Bridge.Core.Delivery.OAuth;
using Bridge.Core.Doctor;
using Bridge.Core.Diagnostics;
using Bridge.Core.Events;
using Bridge.Core.Health;
using Bridge.Core.Hooks;
using Bridge.Core.Identity;
using Bridge.Core.Housekeeping;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Bridge.Core.Outbox;
using Bridge.Core.Secrets;
using Bridge.Core.Storage;
using Bridge.Core.Suppressions;
using Bridge.Core.Telemetry;
using Bridge.Core.Visibility;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bridge.Core;

/// <summary>Everything both hosts need, registered once.</summary>
public static class DependencyInjection
{
    public static IServiceCollection AddBridgeCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddOptions<HookOptions>().BindConfiguration(HookOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HookOptions>, HookOptionsValidator>();
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>();
        services.AddOptions<MessageLimits>().BindConfiguration(MessageLimits.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MessageLimits>, MessageLimitsValidator>();
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.AddOptions<PayloadRetentionOptions>().BindConfiguration(PayloadRetentionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PayloadRetentionOptions>, PayloadRetentionOptionsValidator>();
        services.AddOptions<SecretCacheOptions>().BindConfiguration(SecretCacheOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecretCacheOptions>, SecretCacheOptionsValidator>();
        services.AddOptions<ManagedIdentityOptions>().Configure(o => o.ReadFrom(configuration)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ManagedIdentityOptions>, ManagedIdentityOptionsValidator>();
        services.AddOptions<KeyVaultOptions>().BindConfiguration(KeyVaultOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyVaultOptions>, KeyVaultOptionsValidator>();
        services.AddOptions<CallbackOptions>().BindConfiguration(CallbackOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallbackOptions>, CallbackOptionsValidator>();
        services.AddOptions<SuppressionOptions>().BindConfiguration(SuppressionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SuppressionOptions>, SuppressionOptionsValidator>();
        services.AddOptions<BounceOptions>().BindConfiguration(BounceOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BounceOptions>, BounceOptionsValidator>();
        services.AddDeliverability(configuration);

        services.AddBridgeTelemetry(configuration);
        services.AddBridgeDiagnostics(configuration);
        services.TryAddSingleton(_ => StorageClients.FromConfiguration(configuration));
        services.TryAddSingleton(sp => SecretStoreFactory.Create(sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value, configuration));
        services.AddSingleton<SecretCache>();

        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<SenderPolicy>();
        services.AddSingleton<RequestRateLimiter>();
        services.AddSingleton<DailyQuota>();
        services.AddSingleton<SendRequestValidator>();
        services.AddSingleton<MimeComposer>();
        services.AddSingleton<MessageIndex>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<CallbackQueue>();
        services.AddSingleton<ITimelineObserver, CallbackEnqueuer>();
        services.AddSingleton<CallbackConnector>();
        services.AddSingleton<CallbackSender>();
        services.AddSingleton<CallbackWorker>();
        services.AddSingleton<OutboxQueue>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<MessageSubmission>();

        services.TryAddSingleton<OAuthCredentialFactory>();
        services.AddSingleton<OAuthTokenSource>();
        services.AddSingleton<SmtpConnectionPool>();
        services.AddSingleton<SmtpSender>();
        services.AddSingleton<RetrySchedule>();
        services.AddSingleton<DeliveryWorker>();
        services.AddSingleton<PoisonArchive>();
        services.AddSingleton<RetentionSweeper>();
        services.AddSingleton<PoisonHandler>();
        services.AddSingleton<PoisonReplay>();

        services.AddSingleton<HealthChecker>();
        services.AddSingleton<ProfileCircuits>();
        services.AddSingleton<TableCounter>();
        services.AddSingleton<UpstreamQuota>();
        services.AddSingleton<JsonBody>();
        services.AddSingleton<MultipartSendBody>();
        services.AddSingleton<ApiGate>();
        services.AddSingleton<SendEndpoint>();
        services.AddSingleton<MessageStatusEndpoint>();
        services.AddSingleton<MessageListing>();
        services.AddSingleton<MessageListEndpoint>();
        services.AddSingleton<BulkReplay>();
        services.AddSingleton<ReplayManyEndpoint>();
        services.AddSingleton<DeliveryLogEndpoint>();
        services.AddSingleton<OpenApiDocumentEndpoint>();
        services.AddSingleton<MessageCancellation>();
        services.AddSingleton<BatchSubmission>();
        services.AddSingleton<BatchEndpoint>();
        services.AddSingleton<CompatIntake>();
        services.AddSingleton<SendGridEndpoint>();
        services.AddSingleton<PostmarkEmailEndpoint>();
        services.AddSingleton<PostmarkBatchEndpoint>();
        services.AddSingleton<CancelEndpoint>();
        services.AddSingleton<HealthEndpoint>();
        services.AddSingleton<ReplayEndpoint>();
        services.AddSingleton<SmtpDoctor>();
        services.AddSingleton<DiagnoseEndpoint>();
        services.AddSingleton<LiquidTemplates>();
        services.AddSingleton<HookCatalog>();
        services.AddSingleton<HookEndpoint>();
        services.AddSingleton<SuppressionStore>();
        services.AddSingleton<SuppressionsEndpoint>();
        services.AddSingleton<BounceRecorder>();
        services.AddSingleton<BouncePoller>();
        services.AddSingleton<BouncesEndpoint>();

        services.AddHostedService<StorageInitializer>();
        services.AddHostedService<StartupWarnings>();
        services.AddHostedService<ProfileSelfCheck>();
        return services;
    }
}
