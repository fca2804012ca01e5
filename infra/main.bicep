// Bridge on Azure: one `azd up` creates everything the relay needs in one resource group.
//
//   user-assigned identity ──roles──▶ Storage (queue, tables, blobs; no shared keys)
//            │                         Key Vault (RBAC; SMTP password set after deploy)
//            ▼                         Application Insights (Entra ID ingestion only)
//   Function App on Flex Consumption (dotnet-isolated 10.0)
//
// No secret passes through this template: the API key arrives as its SHA-256 hash and
// the SMTP password is stored in Key Vault by the user afterwards (see docs/deploy.md).

targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment. Names the resource group and seeds every other name.')
param environmentName string

// The regions that offer Flex Consumption (az functionapp list-flexconsumption-locations, late 2026).
// A region outside the list fails here, before anything is created, instead of halfway through.
@description('Azure region for every resource. It must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'switzerlandnorth'
  'uaenorth'
  'uksouth'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
param location string

@description('Resource group to create. Empty for rg-<environmentName>.')
param resourceGroupName string = ''

@description('Object id of the deploying user or service principal (azd: AZURE_PRINCIPAL_ID). It becomes Key Vault Secrets Officer on the new vault so it can store the SMTP password. Empty to grant nothing.')
param principalId string = ''

@description('Host of the upstream SMTP server of the "default" profile, e.g. smtp.office365.com.')
@minLength(1)
param smtpHost string

@description('Port of the upstream SMTP server: 587 with StartTls, 465 with SslOnConnect.')
@minValue(1)
@maxValue(65535)
param smtpPort int = 587

@description('Transport security towards the upstream SMTP server.')
@allowed([
  'StartTls'
  'SslOnConnect'
  'None'
])
param smtpSecurity string = 'StartTls'

@description('User name for SMTP AUTH on the upstream server. Empty for a relay that authenticates by address (Google Workspace SMTP relay, a Microsoft 365 connector): no AUTH and no password; pair it with staticEgressIp.')
param smtpUsername string = ''

@description('More app settings, as [{ name, value }]: extra SMTP profiles, OAuth upstreams, DKIM keys, callbacks (see docs/deploy.md). Values are settings, never secrets: a setting names a Key Vault secret instead.')
param extraAppSettings array = []

@description('Send through a NAT gateway with one static public IP (VNet integration), for upstream relays that allow-list by address. The address is the BRIDGE_EGRESS_IP output.')
param staticEgressIp bool = false

@description('Name (not value) of the Key Vault secret that will hold the SMTP password. Letters and digits only.')
@minLength(1)
@maxLength(127)
param smtpPasswordSecretName string = 'SmtpPassword'

@description('Comma-separated senders the "default" profile may send as: addresses or @domain.')
@minLength(1)
param smtpAllowedFrom string

@description('Name of the first API key, used in settings and logs. Letters and digits only.')
@minLength(1)
param apiKeyName string = 'default'

@description('Hex SHA-256 of the first API key (printf %s "$KEY" | sha256sum), never the key itself.')
@minLength(64)
@maxLength(64)
param apiKeySha256 string

@description('Comma-separated scopes of the first API key: send, read, admin.')
param apiKeyScopes string = 'send,read'

@description('Comma-separated SMTP profiles the first API key may use.')
param apiKeyProfiles string = 'default'

@description('Comma-separated senders the first API key may use: addresses or @domain. Empty for the profile\'s senders.')
param apiKeyAllowedFrom string = ''

@description('Most instances the Flex plan may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per Flex instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Instances kept running for the HTTP functions (accept, status), so a request after a quiet spell does not wait for a cold start. 0 scales to zero; each one is billed while idle.')
@minValue(0)
@maxValue(20)
param alwaysReadyInstances int = 0

@description('Most SMTP connections one instance opens per profile (Bridge:Delivery:MaxConnectionsPerProfile). Concurrent connections to an upstream reach maximumInstanceCount x this; see docs/operations.md.')
@minValue(1)
@maxValue(100)
param maxSmtpConnectionsPerInstance int = 8

@description('E-mail address the alerts notify. Empty for no notification (alerts still show in the portal).')
param alertEmail string = ''

@description('Percentage of failed deliveries (of sent + failed, over 15 minutes) that raises an alert.')
@minValue(1)
@maxValue(100)
param failedRatePercent int = 5

@description('Minutes a message may wait in the queue before its delivery attempt raises an alert.')
@minValue(1)
@maxValue(1440)
param queueAgeAlertMinutes int = 15

@description('Days a deleted Key Vault stays recoverable before its name can be reused (7-90).')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = 7

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'bridge'
}
var queueName = 'outbound-mail'
// azd passes an unset variable as '' rather than leaving the parameter to its default,
// so "same as the profile" is decided here, not in the parameter's default value.
var effectiveApiKeyAllowedFrom = empty(apiKeyAllowedFrom) ? smtpAllowedFrom : apiKeyAllowedFrom
var names = {
  resourceGroup: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  identity: 'id-bridge-${resourceToken}'
  storage: 'stbridge${resourceToken}'
  keyVault: 'kv-bridge-${take(resourceToken, 11)}'
  logAnalytics: 'log-bridge-${resourceToken}'
  applicationInsights: 'appi-bridge-${resourceToken}'
  plan: 'plan-bridge-${resourceToken}'
  functionApp: 'func-bridge-${resourceToken}'
  network: 'bridge-${resourceToken}'
  deploymentContainer: 'app-package'
}

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    queueName: queueName
    deploymentContainerName: names.deploymentContainer
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module network 'modules/network.bicep' = if (staticEgressIp) {
  name: 'network'
  scope: rg
  params: {
    name: names.network
    location: location
    tags: tags
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  dependsOn: [
    monitoring
  ]
  params: {
    applicationInsightsName: names.applicationInsights
    namePrefix: 'bridge-${resourceToken}'
    location: location
    tags: tags
    alertEmail: alertEmail
    failedRatePercent: failedRatePercent
    queueAgeAlertMinutes: queueAgeAlertMinutes
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  scope: rg
  dependsOn: [
    monitoring
  ]
  params: {
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    nameSeed: resourceToken
  }
}

// Names go to the next modules as values known before deployment (not module outputs),
// so what-if can predict every resource; dependsOn supplies the ordering instead.
module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  dependsOn: [
    identity
    storage
    keyVault
    monitoring
  ]
  params: {
    identityName: names.identity
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    applicationInsightsName: names.applicationInsights
    deployerPrincipalId: principalId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionApp'
  scope: rg
  // Start the app only once its identity may reach storage, so the host's first
  // attempts to take its locks do not fail with 403.
  dependsOn: [
    roles
  ]
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    serviceName: 'api'
    identityName: names.identity
    storageAccountName: names.storage
    deploymentContainerName: names.deploymentContainer
    keyVaultName: names.keyVault
    applicationInsightsName: names.applicationInsights
    queueName: queueName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    alwaysReadyInstances: alwaysReadyInstances
    maxSmtpConnectionsPerInstance: maxSmtpConnectionsPerInstance
    smtpHost: smtpHost
    smtpPort: smtpPort
    smtpSecurity: smtpSecurity
    smtpUsername: smtpUsername
    extraAppSettings: extraAppSettings
    subnetId: staticEgressIp ? network!.outputs.subnetId : ''
    smtpPasswordSecretName: smtpPasswordSecretName
    smtpAllowedFrom: smtpAllowedFrom
    apiKeyName: apiKeyName
    apiKeySha256: apiKeySha256
    apiKeyScopes: apiKeyScopes
    apiKeyProfiles: apiKeyProfiles
    apiKeyAllowedFrom: effectiveApiKeyAllowedFrom
  }
}

// azd stores these in .azure/<env>/.env; `azd env get-values` prints them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output BRIDGE_API_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
@description('Run this next, with the SMTP password in $SMTP_PASSWORD (read -rs SMTP_PASSWORD). The password goes through a pipe, never onto a command line where other processes could read it. Empty when the relay authenticates by address.')
output BRIDGE_NEXT_STEP string = empty(smtpUsername) ? '' : 'printf %s "$SMTP_PASSWORD" | az keyvault secret set --vault-name ${keyVault.outputs.name} --name ${smtpPasswordSecretName} --file /dev/stdin --output none'
@description('The secret the "default" profile reads its password from; empty when the relay authenticates by address.')
output BRIDGE_SMTP_VAULT_ENTRY string = empty(smtpUsername) ? '' : smtpPasswordSecretName
@description('The static address Bridge sends from (staticEgressIp); give it to the relay\'s allow-list. Empty without a static address.')
output BRIDGE_EGRESS_IP string = staticEgressIp ? network!.outputs.egressIp : ''
