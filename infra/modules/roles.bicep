// Every role the function app's identity holds, each on the narrowest scope that works.
// Nothing here grants Owner, Contributor or any management-plane role to the app.
// Role ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles

@description('Name of the function app\'s user-assigned identity.')
param identityName string

@description('Name of the storage account the app uses for its host, queue, tables and blobs.')
param storageAccountName string

@description('Name of the Key Vault that holds the SMTP password.')
param keyVaultName string

@description('Name of the Application Insights component the app reports to.')
param applicationInsightsName string

@description('Object id of whoever runs the deployment (azd passes AZURE_PRINCIPAL_ID); it may then set the SMTP secret. Empty to grant nothing.')
param deployerPrincipalId string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Storage Blob Data Owner, not Contributor: the Functions host needs it for identity-based
// AzureWebJobsStorage (host locks, keys), and Flex reads its deployment package with it.
// Account scope because the host creates its own azure-webjobs-* containers.
resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'Bridge: Functions host storage, deployment package and outbound-payloads claim checks.'
  }
}

// Queue trigger on outbound-mail, the poison queue, and re-enqueueing deferred messages.
resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'Bridge: send to and drain the outbound-mail queues.'
  }
}

// Message timelines and idempotency records.
resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'Bridge: message and idempotency tables.'
  }
}

// Read secret values only: no listing of keys or certificates, no writes.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'Bridge: read SMTP passwords.'
  }
}

// Application Insights has local auth disabled, so telemetry needs this role.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identity.id, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'Bridge: send telemetry to Application Insights with Entra ID.'
  }
}

// In an RBAC vault not even a subscription Owner may write secrets, so whoever deploys
// is made Secrets Officer on this one vault to store the SMTP password afterwards.
// principalType is left out on purpose: azd may run as a user or as a service principal.
resource deployerSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')
    principalId: deployerPrincipalId
    description: 'Bridge: lets the deployer set the SMTP password secret.'
  }
}
