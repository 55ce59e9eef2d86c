# Jobs for the workers, and the queue their failures land in.
resource "aws_sqs_queue" "jobs" {
  name                       = "jobs"
  visibility_timeout_seconds = 30
  message_retention_seconds  = 1209600 # 14 days
}

resource "aws_sqs_queue" "dlq" {
  name = "jobs-dlq"
}
