using Bridge.Core.Compat.Postmark;
using Bridge.Core.Compat.SendGrid;
using Bridge.Core.Bounces;
using Bridge.Core.Delivery;
using Bridge.Core.Diagnostics;
using Bridge.Core.Doctor;
using Bridge.Core.Health;
using Bridge.Core.Hooks;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Bridge.Core.Suppressions;
using Bridge.Core.Visibility;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bridge.Core;

/// <summary>
/// The HTTP API's endpoint table for Bridge.Server: every route under <c>/api</c>, each handed to its
/// feature's endpoint. The Functions app declares the same routes, one trigger class each, from the
/// same <see cref="ApiRoutes"/> constants; a test compares the two tables. Each route's trailing call
/// (<see cref="ApiDescriptions"/>) only describes it for the OpenAPI document (<c>GET /api/openapi.json</c>).
/// </summary>
public static class BridgeApi
{
    public const string Prefix = "/api";

    public static RouteGroupBuilder MapBridgeApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix);

        api.MapPost(ApiRoutes.Messages, (HttpRequest request, SendEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(request, cancellationToken)).SendMessage();
        api.MapPost(ApiRoutes.Batch, (HttpRequest request, BatchEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(request, cancellationToken)).SendBatch();
        api.MapGet(ApiRoutes.Messages, (HttpRequest request, MessageListEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(request, cancellationToken)).ListMessages();
        api.MapGet(ApiRoutes.MessageStats, (HttpRequest request, MessageListEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleStatsAsync(request, cancellationToken)).MessageStats();
        api.MapGet(ApiRoutes.Message, (HttpRequest request, string id, MessageStatusEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(request, id, cancellationToken)).GetMessage();
        api.MapDelete(ApiRoutes.Message, (HttpRequest request, string id, CancelEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(request, id, cancellationToken)).CancelMessage();
        api.MapPost(ApiRoutes.ReplayMany, (HttpRequest request, ReplayManyEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(request, cancellationToken)).ReplayMessages();
        api.MapPost(ApiRoutes.Replay, (HttpRequest request, string id, ReplayEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(request, id, cancellationToken)).ReplayMessage();
        api.MapPost(ApiRoutes.Diagnose, (HttpRequest request, DiagnoseEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(request, cancellationToken)).DiagnoseSmtp();
        api.MapPost(ApiRoutes.Hook, (HttpRequest request, string name, HookEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(request, name, cancellationToken)).ReceiveHook();
        api.MapPost(ApiRoutes.SendGridMailSend, (HttpRequest request, SendGridEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(request, cancellationToken)).SendGridMailSend();
        api.MapPost(ApiRoutes.PostmarkEmail, (HttpRequest request, PostmarkEmailEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(request, cancellationToken)).PostmarkEmail();
        api.MapPost(ApiRoutes.PostmarkBatch, (HttpRequest request, PostmarkBatchEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(request, cancellationToken)).PostmarkBatch();
        api.MapGet(ApiRoutes.Suppressions, (HttpRequest request, SuppressionsEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.ListAsync(request, cancellationToken)).ListSuppressions();
        api.MapPut(ApiRoutes.Suppression, (HttpRequest request, string email, SuppressionsEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.PutAsync(request, email, cancellationToken)).AddSuppression();
        api.MapDelete(ApiRoutes.Suppression, (HttpRequest request, string email, SuppressionsEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.DeleteAsync(request, email, cancellationToken)).RemoveSuppression();
        api.MapPost(ApiRoutes.Bounces, (HttpRequest request, BouncesEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(request, cancellationToken)).ReceiveBounce();
        api.MapGet(ApiRoutes.Ui, (DeliveryLogEndpoint endpoint) => endpoint.Handle()).DeliveryLog();
        api.MapGet(ApiRoutes.Health, (HealthEndpoint endpoint, CancellationToken cancellationToken) =>
            endpoint.HandleAsync(cancellationToken)).Health();
        api.MapGet(ApiRoutes.Metrics, (HttpRequest request, MetricsEndpoint endpoint) => endpoint.Handle(request)).Metrics();

        return api;
    }
}
