import TubeMQMasterState
import TubeMQWebSupport

/// A topic's deployments as the topic queries show them: each with its run values, and the
/// partition totals over them.
struct TopicSummary {
    /// The deployment objects, each extended with `runInfo`.
    var deployments: [JSON] = []
    /// Partitions configured over every deployment.
    var configuredPartitions: Int64 = 0
    /// Partitions of in-service deployments on running brokers, as far as the brokers have loaded them.
    var runningPartitions: Int64 = 0
    /// Whether some running deployment takes messages.
    var acceptPublish = false
    /// Whether some running deployment can be consumed.
    var acceptSubscribe = false

    init(_ list: [TopicDeployment], brokers: [Int32: BrokerStatus]) {
        for deployment in list {
            let broker = brokers[deployment.brokerID]
            var info = RecordJSON.deployment(deployment, broker: broker?.config)
            info.append("runInfo", .object(RecordJSON.runInfo(deployment, broker: broker)))
            deployments.append(.object(info))
            let partitions = Int64(deployment.settings.numPartitions) * Int64(deployment.settings.numTopicStores)
            configuredPartitions += partitions
            let run = DeploymentRun(deployment, broker: broker)
            guard deployment.status == .normal, let served = run.share else { continue }
            runningPartitions += Int64(served.numPartitions) * Int64(served.numTopicStores)
            acceptPublish = acceptPublish || run.acceptPublish
            acceptSubscribe = acceptSubscribe || run.acceptSubscribe
        }
    }

    /// `infoCount`, `totalCfgNumPart`, `isSrvAcceptPublish`, `isSrvAcceptSubscribe`,
    /// `totalRunNumPartCount`.
    var totals: JSONObject {
        [
            "infoCount": .int(deployments.count), "totalCfgNumPart": .number(configuredPartitions),
            "isSrvAcceptPublish": .bool(acceptPublish), "isSrvAcceptSubscribe": .bool(acceptSubscribe),
            "totalRunNumPartCount": .number(runningPartitions),
        ]
    }
}
