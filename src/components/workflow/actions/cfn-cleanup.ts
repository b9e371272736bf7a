import * as crypto from 'crypto';
import type { Blueprint } from '../../../blueprint/blueprint';
import type { WorkflowDefinition } from '../definition';
import type { BuildActionParameters } from './build';
import { ActionIdentifierAlias, getDefaultActionIdentifier } from './identifiers';
import { ActionDefinition, addAction } from './types';

/** The name the SDK's blueprints give the workflow that deletes what they deployed. */
export const DEFAULT_DELETE_RESOURCE_WORKFLOW_NAME = 'DANGER-hard-delete-deployed-resources';

/** What {@link addGenericCloudFormationCleanupAction} and `WorkflowBuilder.addCfnCleanupAction` take. */
export interface CfnCleanupActionParameters extends Pick<BuildActionParameters, 'actionName' | 'environment' | 'dependsOn'> {
  /** The stack to delete. */
  stackName: string;
  /** Its region. */
  region: string;
  /**
   * The temporary bucket that holds the rewritten template.
   * @default 63 characters derived from the stack name and region (the SDK picks them at random)
   */
  templateBucketName?: string;
  /** A CloudFront web ACL to delete as well. @default none */
  cloudFrontWebAclName?: string;
}

/**
 * A bucket name for the rewritten template. The SDK draws one at random on every synthesis, which makes
 * every resynthesis change the workflow; a name derived from the stack is as unique per stack and stable.
 */
function templateBucketName(stackName: string, region: string): string {
  return crypto.createHash('sha256').update(`${stackName}\n${region}`).digest('hex').slice(0, 63);
}

const STACK = '--stack-name $stack_name --region $region';
const LIST_RESOURCES = `aws cloudformation list-stack-resources ${STACK}`;

/** Lists the physical ids of one resource type of the stack into a shell variable. */
function listResourcesOfType(variable: string, resourceType: string): string {
  return `${variable}=$(${LIST_RESOURCES} | jq -r '.StackResourceSummaries[] | select(.ResourceType=="${resourceType}") | .PhysicalResourceId')`;
}

/**
 * Shell steps that delete a CloudFormation stack and what it would leave behind: its deletion policies are
 * rewritten to delete everything but buckets and registries (which cannot be deleted while not empty),
 * the stack is deleted, and then the buckets and registries are emptied and deleted.
 * The commands are the SDK's, character for character, so that a ported blueprint writes the same workflow.
 */
export function cfnCleanupSteps(stackName: string, region: string, options?: { bucketName?: string; cloudFrontWebAclName?: string }): string[] {
  const bucketName = options?.bucketName ?? templateBucketName(stackName, region);
  const webAcl = options?.cloudFrontWebAclName;
  return [
    `stack_name=${stackName}`,
    `region=${region}`,
    `cfn_template_upload_bucket=${bucketName} # we need an S3 bucket to temporarily host the updated cloudformation template because template-body has a max length of 51,200 bytes which may not be enough in some cases`,
    ...retainStorageSteps(region),
    listResourcesOfType('BUCKET_NAMES', 'AWS::S3::Bucket'),
    listResourcesOfType('ECR_NAMES', 'AWS::ECR::Repository'),
    listResourcesOfType('USER_POOLS', 'AWS::Cognito::UserPool'),
    'for USER_POOL in $USER_POOLS; do aws cognito-idp describe-user-pool --user-pool-id $USER_POOL --region $region > /dev/null 2>&1 && aws cognito-idp delete-user-pool --user-pool-id $USER_POOL --region $region || true; done',
    ...(webAcl ? webAclSteps(webAcl) : []),
    "echo 'Initiate cloudformation delete-stack command and wait for completion.'",
    `aws cloudformation delete-stack ${STACK}`,
    `aws cloudformation wait stack-delete-complete ${STACK}`,
    "echo 'Cloudformation stack deletion completed.'",
    ...emptyStorageSteps(),
    "echo 'Cleanup action is now completed.'",
  ];
}

/** Rewrites the stack's deletion policies (through a temporary bucket: an inline template is capped at 51,200 bytes). */
function retainStorageSteps(region: string): string[] {
  const locationConstraint = region === 'us-east-1' ? '' : '--create-bucket-configuration LocationConstraint=$region';
  const storageTypes = '.Type != "AWS::S3::Bucket" and .Type != "AWS::ECR::Repository"';
  const storageTypesOnly = '.Type == "AWS::S3::Bucket" or .Type == "AWS::ECR::Repository"';
  return [
    'echo \'Update existing cloudformation template to change resources deletion policy to "Delete", and set deletion policy for S3 buckets and Elastic Container Registry to "Retain" which will be manually cleaned up later.\'',
    'pip install cfn-flip',
    `aws cloudformation get-template ${STACK} > existing-template-$stack_name.json`,
    "jq -r '.TemplateBody' ./existing-template-$stack_name.json | cfn-flip -o json > ./existing-template-body-$stack_name.json",
    `jq 'if .Resources? then (.Resources[]? | select(${storageTypes}) | select(.DeletionPolicy!=null) | .DeletionPolicy) = "Delete" else . end' ./existing-template-body-$stack_name.json > ./temporary-template-body-$stack_name.json`,
    `jq 'if .Resources? then (.Resources[]? | select(${storageTypesOnly})) |= (.DeletionPolicy = "Retain") else . end' ./temporary-template-body-$stack_name.json > ./updated-template-$stack_name.json`,
    "echo 'Create a temporary S3 bucket to host the updated cloudformation template, and this will be cleaned up afterwards.'",
    `aws s3api create-bucket --bucket $cfn_template_upload_bucket --region $region ${locationConstraint} || true`,
    'echo \'Update the cloudformation stack and wait for the status to no longer be "UPDATE_IN_PROGRESS" , ignoring the case when it needs not be updated.\'',
    'aws s3 cp ./updated-template-$stack_name.json s3://$cfn_template_upload_bucket/updated-template-$stack_name.json --region $region',
    'aws cloudformation update-stack --stack-name $stack_name --region $region --template-url https://s3.amazonaws.com/$cfn_template_upload_bucket/updated-template-$stack_name.json --capabilities CAPABILITY_NAMED_IAM || true',
    'timeout 300 bash -c \'while true; do status=$(aws cloudformation describe-stacks --stack-name "$stack_name" --region $region --query "Stacks[0].StackStatus" --output text); if [[ "$status" == "UPDATE_IN_PROGRESS" ]]; then sleep 10; else break; fi; done\'',
    "echo 'Store the list of associated S3 buckets and Elastic Container Registries'",
  ];
}

/** Detaches the named web ACL from every distribution, deletes it, and deletes the stack's IP sets. */
function webAclSteps(name: string): string[] {
  const field = (variable: string, key: string) => `${variable}=$(jq -n --argjson acl "$WEB_ACL" -r '$acl.${key}');`;
  const detachFromDistributions =
    "for DISTRIBUTION_ID in $(aws cloudfront list-distributions-by-web-acl-id --web-acl-id $WEB_ACL_ARN --region $region | jq -r '.DistributionList.Items[]?.Id'); do " +
    '  echo "Removing ACL from distribution" $DISTRIBUTION_ID; ' +
    '  aws cloudfront get-distribution-config --id $DISTRIBUTION_ID --region $region > ${DISTRIBUTION_ID}.json;' +
    "  ETAG_ID=$(jq -r '.ETag' ./${DISTRIBUTION_ID}.json);" +
    "  jq --arg replace_acl_id \"\" '.DistributionConfig.WebACLId = $replace_acl_id | del(.ETag) | .DistributionConfig' ./${DISTRIBUTION_ID}.json > input.json;" +
    '  aws cloudfront update-distribution --id $DISTRIBUTION_ID --region $region --if-match $ETAG_ID --distribution-config file://input.json; ' +
    'done; ';
  return [
    `WEB_ACL=$(aws wafv2 list-web-acls --region $region --scope CLOUDFRONT | jq '.WebACLs[] | select(.Name == "${name}")')`,
    'if [ -n "$WEB_ACL" ]; then ' +
      field('WEB_ACL_ID', 'Id') +
      field('WEB_ACL_LOCK_TOKEN', 'LockToken') +
      field('WEB_ACL_ARN', 'ARN') +
      'if [ -n "$WEB_ACL_ID" ]; then ' +
      "echo 'Deleting web ACL' $WEB_ACL_ID; " +
      detachFromDistributions +
      `aws wafv2 delete-web-acl --region $region --id $WEB_ACL_ID --lock-token $WEB_ACL_LOCK_TOKEN --name "${name}" --scope CLOUDFRONT; ` +
      `else echo 'Web ACL named ${name} was not found'; ` +
      'fi; ' +
      'fi;',
    listResourcesOfType('IP_SETS', 'AWS::WAFv2::IPSet'),
    'for IP_SET in $IP_SETS; do RESOURCE=(${IP_SET//|/ }); LOCK_TOKEN=$(aws wafv2 get-ip-set --region $region --scope CLOUDFRONT --id ${RESOURCE[1]} --name ${RESOURCE[0]}  --query LockToken --output text) > /dev/null 2>&1 && aws wafv2 delete-ip-set --id ${RESOURCE[1]} --name ${RESOURCE[0]} --scope CLOUDFRONT --lock-token $LOCK_TOKEN --region $region || true; done;',
  ];
}

/** Empties (every version, when versioned) and deletes the retained buckets, the template bucket and the registries. */
function emptyStorageSteps(): string[] {
  const deleteAll = (what: string) =>
    `aws s3api delete-objects --bucket $BUCKET_NAME --region $region  --delete "$(aws s3api list-object-versions --bucket $BUCKET_NAME --region $region  --query='{Objects: ${what}[].{Key:Key,VersionId:VersionId}}')";`;
  return [
    "echo 'Clean up and delete all associated S3 buckets, including the temporary bucket created. If versioning is enabled, delete all markers and versions as well.'",
    'for BUCKET_NAME in $BUCKET_NAMES; do ' +
      'if aws s3api head-bucket --bucket $BUCKET_NAME --region $region > /dev/null 2>&1; then ' +
      'if aws s3api get-bucket-versioning --bucket $BUCKET_NAME --region $region | grep -q \'"Status": "Enabled"\'; then ' +
      deleteAll('Versions') +
      deleteAll('DeleteMarkers') +
      'fi;' +
      'aws s3 rb --force s3://$BUCKET_NAME --region $region;' +
      'fi;' +
      'done',
    'aws s3 rb --force s3://$cfn_template_upload_bucket --region $region',
    "echo 'All S3 buckets cleaned up.'",
    "echo 'Clean up and delete all associated Elastic Container Registries.'",
    'for ECR_NAME in $ECR_NAMES; do aws ecr describe-repositories --repository-name $ECR_NAME --region $region > /dev/null 2>&1 && aws ecr delete-repository --repository-name $ECR_NAME --region $region --force || true; done',
    "echo 'All Elastic Container Registries cleaned up. '",
  ];
}

/** Adds a build action that deletes a CloudFormation stack and what it leaves behind, and returns its key. */
export function addGenericCloudFormationCleanupAction(
  params: CfnCleanupActionParameters & { blueprint: Blueprint; workflow: WorkflowDefinition },
): string {
  const steps = cfnCleanupSteps(params.stackName, params.region, {
    bucketName: params.templateBucketName,
    cloudFrontWebAclName: params.cloudFrontWebAclName,
  });
  const action: ActionDefinition = {
    Identifier: getDefaultActionIdentifier(ActionIdentifierAlias.build, params.blueprint.context.environmentId),
    Configuration: { Steps: steps.map(Run => ({ Run })) },
    Environment: params.environment,
    DependsOn: params.dependsOn,
  };
  return addAction(params.workflow, params.actionName, 'CleanupCloudFormationStack', action);
}
