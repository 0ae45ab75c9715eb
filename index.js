// n8n finds the node and the credential through the "n8n" section of package.json, not through
// this file; it is not published. It lets `require('.')` on a checkout name what the package holds.
module.exports = {
	nodes: ['dist/nodes/GreenApi/GreenApi.node.js'],
	credentials: ['dist/credentials/GreenApi.credentials.js'],
};
