// Checks a CloudFormation template against the CloudFormation resource specification the AWS CDK team maintains
// (@aws-cdk/aws-service-spec): every resource type exists; every property name exists, recursively through nested
// types; every required property is present; every value has its property's type (string, integer, number, boolean,
// JSON, date-time, tags, arrays, maps, nested types, unions); every Ref, Fn::GetAtt and ${...} of Fn::Sub names a
// parameter, pseudo parameter, resource or resource attribute that exists.
//
// A local code path, which `aws cloudformation package` and `sam deploy` upload and replace by {S3Bucket, S3Key}, is
// checked in that packaged form (the specification describes the template CloudFormation receives).
//
//   node validate-template.mjs <template.yaml|json>
//
// Prints one JSON line {"errors":[...],"checked":{...}}; exit code 0 when there are no errors, 1 otherwise.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { loadAwsServiceSpec } from "@aws-cdk/aws-service-spec";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate-template.mjs <template>");
  process.exit(2);
}

const db = await loadAwsServiceSpec();
const template = parse(readFileSync(file, "utf8"));
const errors = [];
const checked = { resources: 0, properties: 0, intrinsics: 0, packagedCode: [] };
const pseudo = new Set(["AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
  "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"]);
const topLevel = new Set(["AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Mappings", "Conditions",
  "Transform", "Resources", "Outputs", "Rules"]);
const resourceKeys = new Set(["Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy",
  "Metadata", "CreationPolicy", "UpdatePolicy"]);
const policies = new Set(["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"]);
// Properties that hold a local artifact path before packaging, and what packaging puts there.
const packaged = { "AWS::Lambda::Function": { Code: p => ({ S3Bucket: "packaged-bucket", S3Key: "packaged/" + p }) } };

for (const key of Object.keys(template ?? {})) {
  if (!topLevel.has(key)) errors.push(`template: unknown top-level section '${key}'`);
}

const resources = template?.Resources ?? {};
const parameters = template?.Parameters ?? {};
if (Object.keys(resources).length === 0) errors.push("template: no Resources");
const specs = {};
for (const [id, resource] of Object.entries(resources)) {
  const found = db.lookup("resource", "cloudFormationType", "equals", resource?.Type);
  if (found.length !== 1) {
    errors.push(`${id}: unknown resource type '${resource?.Type}'`);
    continue;
  }
  specs[id] = found.only();
}

for (const [id, resource] of Object.entries(resources)) {
  const spec = specs[id];
  if (!spec) continue;
  checked.resources++;
  for (const key of Object.keys(resource)) {
    if (!resourceKeys.has(key)) errors.push(`${id}: unknown resource attribute '${key}'`);
  }
  for (const key of ["DeletionPolicy", "UpdateReplacePolicy"]) {
    if (key in resource && !policies.has(resource[key])) errors.push(`${id}.${key}: '${resource[key]}' is not a policy`);
  }
  if (resource.DependsOn !== undefined) {
    for (const target of [].concat(resource.DependsOn)) {
      if (!(target in resources)) errors.push(`${id}.DependsOn: '${target}' is not a resource`);
    }
  }
  const properties = { ...(resource.Properties ?? {}) };
  for (const [name, rewrite] of Object.entries(packaged[resource.Type] ?? {})) {
    if (typeof properties[name] === "string") {
      checked.packagedCode.push(`${id}.${name}: ${properties[name]}`);
      properties[name] = rewrite(properties[name]);
    }
  }
  checkObject(`${id}.Properties`, properties, spec.properties);
}

for (const [name, output] of Object.entries(template?.Outputs ?? {})) {
  if (output?.Value === undefined) errors.push(`Outputs.${name}: no Value`);
  else checkValue(`Outputs.${name}.Value`, output.Value, { type: "string" });
}

console.log(JSON.stringify({ errors, checked }));
process.exit(errors.length === 0 ? 0 : 1);

function checkObject(path, value, properties) {
  if (!isObject(value)) {
    errors.push(`${path}: expected an object, got ${describe(value)}`);
    return;
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in value)) errors.push(`${path}: required property '${name}' is missing`);
  }
  for (const [name, item] of Object.entries(value)) {
    const property = properties[name];
    if (!property) {
      errors.push(`${path}: unknown property '${name}'`);
      continue;
    }
    checked.properties++;
    const types = [property.type, ...(property.previousTypes ?? [])];
    const attempts = types.map(type => collect(() => checkValue(`${path}.${name}`, item, type)));
    if (attempts.every(a => a.length > 0)) errors.push(...attempts[0]);
  }
}

function checkValue(path, value, type) {
  if (isIntrinsic(value)) {
    checkIntrinsic(path, value);
    return;
  }
  switch (type.type) {
    case "string":
      if (typeof value !== "string") errors.push(`${path}: expected a string, got ${describe(value)}`);
      break;
    case "date-time":
      if (typeof value !== "string" || Number.isNaN(Date.parse(value))) errors.push(`${path}: expected a date-time, got ${describe(value)}`);
      break;
    case "integer":
      if (!Number.isInteger(value)) errors.push(`${path}: expected an integer, got ${describe(value)}`);
      break;
    case "number":
      if (typeof value !== "number") errors.push(`${path}: expected a number, got ${describe(value)}`);
      break;
    case "boolean":
      if (typeof value !== "boolean") errors.push(`${path}: expected a boolean, got ${describe(value)}`);
      break;
    case "json":
      if (!isObject(value) && typeof value !== "string") errors.push(`${path}: expected JSON (an object), got ${describe(value)}`);
      else walkIntrinsics(path, value);
      break;
    case "null":
      if (value !== null) errors.push(`${path}: expected null, got ${describe(value)}`);
      break;
    case "tag":
      checkObject(path, value, { Key: { type: { type: "string" }, required: true }, Value: { type: { type: "string" }, required: true } });
      break;
    case "array":
      if (!Array.isArray(value)) errors.push(`${path}: expected a list, got ${describe(value)}`);
      else value.forEach((item, i) => checkValue(`${path}[${i}]`, item, type.element));
      break;
    case "map":
      if (!isObject(value)) errors.push(`${path}: expected a map, got ${describe(value)}`);
      else for (const [k, v] of Object.entries(value)) checkValue(`${path}.${k}`, v, type.element);
      break;
    case "ref": {
      const definition = db.get("typeDefinition", type.reference.$ref);
      checkObject(path, value, definition.properties);
      break;
    }
    case "union": {
      const attempts = type.types.map(t => collect(() => checkValue(path, value, t)));
      if (attempts.every(a => a.length > 0)) errors.push(`${path}: matches none of its types (${attempts.map(a => a[0]).join("; ")})`);
      break;
    }
    default:
      errors.push(`${path}: the specification has a type '${type.type}' this validator does not know`);
  }
}

function checkIntrinsic(path, value) {
  checked.intrinsics++;
  const [name, argument] = Object.entries(value)[0];
  switch (name) {
    case "Ref":
      if (typeof argument !== "string" || !(pseudo.has(argument) || argument in parameters || argument in resources)) {
        errors.push(`${path}: Ref '${argument}' names no parameter, pseudo parameter or resource`);
      }
      break;
    case "Fn::GetAtt": {
      const [id, attribute] = Array.isArray(argument) ? argument : String(argument).split(/\.(.*)/s);
      checkAttribute(path, id, attribute);
      break;
    }
    case "Fn::Sub": {
      const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
      if (typeof text !== "string") {
        errors.push(`${path}: Fn::Sub needs a string`);
        break;
      }
      for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const name = match[1];
        if (name in (variables ?? {}) || pseudo.has(name) || name in parameters || name in resources) continue;
        const dot = name.indexOf(".");
        if (dot > 0) checkAttribute(path, name.slice(0, dot), name.slice(dot + 1));
        else errors.push(`${path}: Fn::Sub \${${name}} names nothing`);
      }
      break;
    }
    case "Fn::Join":
      if (!Array.isArray(argument) || argument.length !== 2 || !Array.isArray(argument[1])) errors.push(`${path}: Fn::Join needs [delimiter, [values]]`);
      else argument[1].forEach((v, i) => isIntrinsic(v) ? checkIntrinsic(`${path}[${i}]`, v) : undefined);
      break;
    case "Fn::Select": case "Fn::Split": case "Fn::If": case "Fn::GetAZs": case "Fn::ImportValue": case "Fn::FindInMap":
    case "Fn::Base64": case "Fn::Cidr": case "Fn::Length": case "Fn::ToJsonString":
      break;
    default:
      errors.push(`${path}: unknown intrinsic function '${name}'`);
  }
}

function checkAttribute(path, id, attribute) {
  const spec = specs[id];
  if (!spec) errors.push(`${path}: Fn::GetAtt '${id}' is not a resource`);
  else if (!(attribute in spec.attributes)) errors.push(`${path}: ${resources[id].Type} '${id}' has no attribute '${attribute}' (it has ${Object.keys(spec.attributes).join(", ")})`);
}

function walkIntrinsics(path, value) {
  if (isIntrinsic(value)) checkIntrinsic(path, value);
  else if (Array.isArray(value)) value.forEach((v, i) => walkIntrinsics(`${path}[${i}]`, v));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) walkIntrinsics(`${path}.${k}`, v);
}

function isIntrinsic(value) {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || keys[0].startsWith("Fn::"));
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function describe(value) {
  return value === null ? "null" : Array.isArray(value) ? "a list" : `${typeof value} ${JSON.stringify(value)}`.slice(0, 80);
}

function collect(action) {
  const before = errors.length;
  action();
  return errors.splice(before);
}
