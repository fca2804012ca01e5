// The Bridge.Functions app on a Flex Consumption plan, running as the user-assigned
// identity. Every connection is identity-based: there is no connection string, account
// key or password anywhere in these settings.

@description('Name of the function app; also the first label of its host name.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Tags applied to the plan and the app.')
param tags object

@description('azd service name from azure.yaml; azd finds the app to deploy to by this tag.')
param serviceName string

@description('Name of the user-assigned identity the app runs as.')
param identityName string

@description('Name of the storage account used for AzureWebJobsStorage and Bridge data.')
param storageAccountName string

@description('Blob container in that account that holds the deployment package.')
param deploymentContainerName string

@description('Name of the Key Vault that holds SMTP passwords.')
param keyVaultName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Queue between the HTTP function and the delivery worker.')
param queueName string

@description('Most instances Flex may scale out to. Each one opens its own SMTP connections.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Instances kept running for the HTTP functions; 0 scales to zero.')
@minValue(0)
@maxValue(20)
param alwaysReadyInstances int

@description('Most SMTP connections one instance opens per profile.')
@minValue(1)
@maxValue(100)
param maxSmtpConnectionsPerInstance int

@description('Upstream SMTP host of the "default" profile.')
param smtpHost string

@description('Upstream SMTP port of the "default" profile.')
param smtpPort int

@description('StartTls (587), SslOnConnect (465) or None (local relays only).')
param smtpSecurity string

@description('SMTP user name of the "default" profile; empty for a relay that authenticates by address (then no password either).')
param smtpUsername string

@description('More app settings as [{ name, value }], after Bridge\'s own.')
param extraAppSettings array

@description('Subnet for outbound traffic (VNet integration, NAT gateway); empty for Azure\'s shared outbound addresses.')
param subnetId string

@description('Key Vault secret name (not value) of the SMTP password.')
param smtpPasswordSecretName string

@description('Comma-separated senders (addresses or @domain) the "default" profile may send as.')
param smtpAllowedFrom string

@description('Name of the API key; letters and digits.')
param apiKeyName string

@description('Hex SHA-256 of the API key.')
param apiKeySha256 string

@description('Comma-separated scopes of the API key.')
param apiKeyScopes string

@description('Comma-separated SMTP profiles the API key may use.')
param apiKeyProfiles string

@description('Comma-separated senders (addresses or @domain) the API key may use.')
param apiKeyAllowedFrom string

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

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION:
      // the runtime comes from functionAppConfig below.
      appSettings: concat([
        // Functions host storage through the identity; the service URIs select
        // identity-based connections and the client id picks the user-assigned identity.
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        // Bridge signs in to Key Vault and storage as the identity AZURE_CLIENT_ID names (the same as AzureWebJobsStorage__clientId).
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'Bridge__Queue__Name', value: queueName }
        { name: 'Bridge__Delivery__MaxConnectionsPerProfile', value: string(maxSmtpConnectionsPerInstance) }
        { name: 'Bridge__KeyVault__Uri', value: vault.properties.vaultUri }
        { name: 'Bridge__Smtp__Profiles__default__Host', value: smtpHost }
        { name: 'Bridge__Smtp__Profiles__default__Port', value: string(smtpPort) }
        { name: 'Bridge__Smtp__Profiles__default__Security', value: smtpSecurity }
        { name: 'Bridge__Smtp__Profiles__default__Username', value: smtpUsername }
        { name: 'Bridge__Smtp__Profiles__default__PasswordSecret', value: empty(smtpUsername) ? '' : smtpPasswordSecretName }
        { name: 'Bridge__Smtp__Profiles__default__AllowedFrom', value: smtpAllowedFrom }
        { name: 'Bridge__ApiKeys__${apiKeyName}__Sha256', value: toLower(apiKeySha256) }
        { name: 'Bridge__ApiKeys__${apiKeyName}__Scopes', value: apiKeyScopes }
        { name: 'Bridge__ApiKeys__${apiKeyName}__Profiles', value: apiKeyProfiles }
        { name: 'Bridge__ApiKeys__${apiKeyName}__AllowedFrom', value: apiKeyAllowedFrom }
      ], extraAppSettings)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        // The "http" group serves every HTTP function; the queue trigger scales on its own from zero.
        alwaysReady: alwaysReadyInstances > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyInstances
              }
            ]
          : []
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
