# source: dotnet/dotnet-docker samples/aspnetapp/Dockerfile
# commit: 0110115ec723508e9fc2fa6e7fc4e72c1ba97188
# url: https://github.com/dotnet/dotnet-docker/blob/0110115ec723508e9fc2fa6e7fc4e72c1ba97188/samples/aspnetapp/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM mcr.microsoft.com/dotnet/sdk:7.0 AS build
FROM mcr.microsoft.com/dotnet/aspnet:7.0
COPY --from=build /app .
