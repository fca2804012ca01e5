// Alerts on what Bridge itself reports to Application Insights (the Bridge meter's custom metrics):
// a message set aside as poisoned, a share of failed deliveries above a threshold, and messages
// waiting in the queue longer than a threshold. Storage's queue metrics are account-wide, not per
// queue, and the poison queue is drained into the replay archive at once, so the poisoned counter is
// what says "a message needs a replay".

@description('Name of the Application Insights component the alerts query.')
param applicationInsightsName string

@description('Prefix of the alert rule names.')
param namePrefix string

@description('Azure region.')
param location string

@description('Tags applied to the rules and the action group.')
param tags object

@description('E-mail address the alerts notify. Empty for no action group (alerts still show in the portal).')
param alertEmail string

@description('Percentage of failed deliveries (of sent + failed) over 15 minutes that raises an alert.')
param failedRatePercent int

@description('Minutes a message may wait in the queue before its delivery attempt raises an alert.')
param queueAgeAlertMinutes int

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-${namePrefix}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'bridge'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actions = empty(alertEmail) ? [] : [actionGroup.id]

var rules = {
  poisoned: {
    displayName: 'Bridge: a message was poisoned'
    description: 'Delivery of a message crashed repeatedly and it was set aside. Find it by its poisoned status and replay it (POST /api/v1/messages/{id}/replay) once the cause is fixed.'
    severity: 1
    query: 'customMetrics | where name == "bridge.messages.poisoned" | summarize Poisoned = sum(valueSum)'
    column: 'Poisoned'
    threshold: 0
  }
  failedRate: {
    displayName: 'Bridge: failed deliveries above ${failedRatePercent}%'
    description: 'More than ${failedRatePercent}% of the messages finished in the last 15 minutes failed. GET /api/v1/messages/{id} shows the reply of each; bridge doctor checks the profile.'
    severity: 2
    query: 'customMetrics | where name in ("bridge.messages.sent", "bridge.messages.failed") | summarize Sent = sumif(valueSum, name == "bridge.messages.sent"), Failed = sumif(valueSum, name == "bridge.messages.failed") | extend FailedPercent = iff(Sent + Failed == 0, 0.0, 100.0 * Failed / (Sent + Failed))'
    column: 'FailedPercent'
    threshold: failedRatePercent
  }
  queueAge: {
    displayName: 'Bridge: messages wait over ${queueAgeAlertMinutes} minutes'
    description: 'A delivery attempt started more than ${queueAgeAlertMinutes} minutes after its message was accepted: the workers fall behind (scale limits) or the upstream defers. See docs/operations.md.'
    severity: 2
    query: 'customMetrics | where name == "bridge.queue.age" | summarize OldestSeconds = max(valueMax)'
    column: 'OldestSeconds'
    threshold: queueAgeAlertMinutes * 60
  }
}

resource poisoned 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${namePrefix}-poisoned'
  location: location
  tags: tags
  properties: {
    displayName: rules.poisoned.displayName
    description: rules.poisoned.description
    severity: rules.poisoned.severity
    enabled: true
    scopes: [
      applicationInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: rules.poisoned.query
          timeAggregation: 'Total'
          metricMeasureColumn: rules.poisoned.column
          operator: 'GreaterThan'
          threshold: rules.poisoned.threshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: actions
    }
  }
}

resource failedRate 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${namePrefix}-failed-rate'
  location: location
  tags: tags
  properties: {
    displayName: rules.failedRate.displayName
    description: rules.failedRate.description
    severity: rules.failedRate.severity
    enabled: true
    scopes: [
      applicationInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: rules.failedRate.query
          timeAggregation: 'Maximum'
          metricMeasureColumn: rules.failedRate.column
          operator: 'GreaterThan'
          threshold: rules.failedRate.threshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: actions
    }
  }
}

resource queueAge 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${namePrefix}-queue-age'
  location: location
  tags: tags
  properties: {
    displayName: rules.queueAge.displayName
    description: rules.queueAge.description
    severity: rules.queueAge.severity
    enabled: true
    scopes: [
      applicationInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: rules.queueAge.query
          timeAggregation: 'Maximum'
          metricMeasureColumn: rules.queueAge.column
          operator: 'GreaterThan'
          threshold: rules.queueAge.threshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: actions
    }
  }
}
