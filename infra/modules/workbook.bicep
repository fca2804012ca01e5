// An Application Insights workbook over Bridge's own telemetry: deliveries per outcome, how long
// attempts take and how long messages wait, and the failures with their SMTP reply codes.

@description('Name of the Application Insights component the workbook reads.')
param applicationInsightsName string

@description('Azure region.')
param location string

@description('Tags applied to the workbook.')
param tags object

@description('Seed of the workbook\'s name (a GUID derived from it).')
param nameSeed string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

var chart = {
  version: 'KqlItem/1.0'
  size: 0
  queryType: 0
  resourceType: 'microsoft.insights/components'
  timeContext: {
    durationMs: 86400000
  }
}

var content = {
  version: 'Notebook/1.0'
  items: [
    {
      type: 1
      content: {
        json: '## Bridge delivery\nMessages per outcome, attempt duration, queue age and failures, from the Bridge meter and the `bridge.deliver` / `smtp send` spans. Alerts and knobs: docs/operations.md.'
      }
    }
    {
      type: 3
      content: union(chart, {
        title: 'Delivery rate (messages per 5 minutes, by outcome)'
        visualization: 'timechart'
        query: 'customMetrics | where name in ("bridge.messages.accepted", "bridge.messages.sent", "bridge.messages.deferred", "bridge.messages.failed", "bridge.messages.poisoned") | summarize Messages = sum(valueSum) by Outcome = replace_string(name, "bridge.messages.", ""), bin(timestamp, 5m)'
      })
    }
    {
      type: 3
      content: union(chart, {
        title: 'Attempt duration and queue age (seconds, average and maximum per 5 minutes)'
        visualization: 'timechart'
        query: 'customMetrics | where name in ("bridge.delivery.duration", "bridge.queue.age") | summarize Average = sum(valueSum) / sum(valueCount), Maximum = max(valueMax) by name, bin(timestamp, 5m)'
      })
    }
    {
      type: 3
      content: union(chart, {
        title: 'SMTP conversations: p50 / p95 duration (ms) by profile'
        visualization: 'timechart'
        query: 'dependencies | where name == "smtp send" | extend Profile = tostring(customDimensions["bridge.profile"]) | summarize p50 = percentile(duration, 50), p95 = percentile(duration, 95) by Profile, bin(timestamp, 5m)'
      })
    }
    {
      type: 3
      content: union(chart, {
        title: 'Failed and deferred attempts by profile and SMTP reply code'
        visualization: 'table'
        query: 'requests | union dependencies | where name == "bridge.deliver" and tostring(customDimensions["bridge.outcome"]) in ("failed", "deferred") | summarize Attempts = count(), LastSeen = max(timestamp) by Outcome = tostring(customDimensions["bridge.outcome"]), Profile = tostring(customDimensions["bridge.profile"]), Reply = tostring(customDimensions["smtp.reply.code"]) | order by Attempts desc'
      })
    }
  ]
  fallbackResourceIds: [
    applicationInsights.id
  ]
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(nameSeed, 'bridge-delivery-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Bridge delivery'
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: string(content)
  }
}

output name string = workbook.name
