import TubeMQMasterState

/// A deployment as its broker runs it: what the broker has loaded (``BrokerStatus/servedShares``),
/// and whether it takes messages for it and serves it (the deployment's flags and the broker's
/// management status). Nothing while the broker is not running or has not loaded the topic. The
/// topic queries' `runInfo`, their totals and the count views all read it.
struct DeploymentRun {
    var share: TopicPublishInfo.BrokerShare?
    var acceptPublish = false
    var acceptSubscribe = false

    init(_ deployment: TopicDeployment, broker: BrokerStatus?) {
        guard let broker, RecordJSON.isRunning(broker), let served = broker.servedShares[deployment.topic] else {
            return
        }
        share = served
        let status = broker.config.manageStatus
        acceptPublish = deployment.settings.acceptPublish && status.acceptsPublish
        acceptSubscribe = deployment.settings.acceptSubscribe && status.acceptsSubscribe
    }
}
